using System.Text;
using System.Text.Json;
using BoltGate.Core.Crypto;
using BoltGate.Lightning.CoreLightning;
using static BoltGate.ParserFuzz.FuzzTargets;

namespace BoltGate.ParserFuzz;

/// <summary>
/// Core Lightning's JSON-RPC answers. A message is read by <see cref="ClnRpcTransport.ReadMessage"/>,
/// which throws <see cref="JsonException"/> or <see cref="ClnTransportException"/> (both caught by the
/// transport); a result goes through <see cref="ClnOutcomeClassifier"/>, which maps every answer to
/// a value (Unknown when it cannot tell) and never throws; the version text is parsed with TryParse.
/// </summary>
internal static class ClnJsonTarget
{
    // The id the transport would have sent; the corpus answers carry it.
    private const string Id = "boltgate:pay#1";

    private static readonly Lazy<Bytes32> PaymentHash = new(() => Bytes32.Sha256(new byte[32])); // not before Fuzzer.Run

    public static FuzzTarget Target { get; } = new("cln-json",
        "ClnRpcTransport.ReadMessage, ClnOutcomeClassifier.FromPayResult/FromListPays/ClassifyPayError, ClnVersion.TryParse", Check);

    private static void Check(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        if (ClnVersion.TryParse(text, out var version))
            Require(version.Major >= 0 && version.Minor >= 0, "a version has no negative part");

        ClnResponse? response = null;
        try
        {
            response = ClnRpcTransport.ReadMessage(input, Id);
        }
        catch (Exception ex) when (ex is JsonException or ClnTransportException)
        {
            // documented: the transport turns both into ClnTransportException
        }
        if (response is { Error: { } error })
        {
            _ = ClnOutcomeClassifier.ClassifyPayError(error);
            _ = error.ToString();
        }
        if (response is { Result: { } result })
            Classify(result);

        // The classifiers on any JSON value, as lightningd's result object (or list) might be.
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text); // as ReadMessage parses: decoded first
        }
        catch (JsonException)
        {
            return;
        }
        using (doc)
            Classify(doc.RootElement);
    }

    private static void Classify(JsonElement result)
    {
        _ = ClnOutcomeClassifier.FromPayResult(result, PaymentHash.Value);
        _ = ClnOutcomeClassifier.FromListPays(result);
        if (result.ValueKind == JsonValueKind.Object)
        {
            foreach (var list in (string[])["pays", "payments"])
            {
                if (result.TryGetProperty(list, out var entries))
                {
                    var lookup = ClnOutcomeClassifier.FromListPays(entries);
                    _ = ClnOutcomeClassifier.Confirmed(new ClnPayError.Confirm(null, false, "x"), lookup);
                }
            }
        }
    }
}
