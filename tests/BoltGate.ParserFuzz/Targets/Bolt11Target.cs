using BoltGate.Core.Bitcoin;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using static BoltGate.ParserFuzz.FuzzTargets;

namespace BoltGate.ParserFuzz;

/// <summary>
/// BOLT 11. <see cref="Bolt11Decoder.Decode"/> documents "never throws: every input yields a result";
/// an accepted invoice must decode the same again and its bech32 must round-trip. The encoder target
/// builds a valid request from the bytes and requires decode(encode(x)) == x.
/// </summary>
internal static class Bolt11Target
{
    // The BOLT 11 spec's example node key (shared/vectors/bolt11.json, constants).
    private static readonly byte[] SpecKey = Convert.FromHexString("e126f68f7eafcc8b74f54d269fe206be715000f94dac067d1c04a8ca3b2db734");
    // Lazy: instrumented code must not run before Fuzzer.Run has mapped AFL's coverage memory.
    private static readonly Lazy<byte[]> SpecNodeId = new(() => Bolt11Encoder.PublicKeyOf(SpecKey));

    public static FuzzTarget Decode { get; } = new("bolt11", "Bolt11Decoder.Decode, Bech32 decode/encode round trip", CheckDecode);

    public static FuzzTarget EncodeRoundTrip { get; } = new("bolt11-encode", "Bolt11Encoder.Encode then Bolt11Decoder.Decode: every field back", CheckEncode);

    private static void CheckDecode(byte[] input)
    {
        var text = FuzzTarget.Text(input);
        switch (Bolt11Decoder.Decode(text))
        {
            case Bolt11DecodeResult.Ok ok:
                var again = Expect<Bolt11DecodeResult.Ok>(Bolt11Decoder.Decode(ok.Invoice.Raw), "an accepted invoice's Raw decodes again");
                Require(again.Invoice.SigningHash == ok.Invoice.SigningHash && again.Invoice.PaymentHash == ok.Invoice.PaymentHash
                    && again.Invoice.PayeePubKey.AsSpan().SequenceEqual(ok.Invoice.PayeePubKey), "decoding Raw again gives the same invoice");
                Require(ok.Invoice.Amount is null || ok.Invoice.Amount.Value.IsPositive, "an invoice amount is positive");
                break;
            case Bolt11DecodeResult.Error error:
                Require(Enum.IsDefined(error.Code) && error.Message.Length > 0, "an error has a defined code and a message");
                break;
            default:
                throw new RuleViolation("Decode returned null");
        }
        Bech32RoundTrip(text, Bolt11Decoder.MaxLength);

        // Random mutations almost never keep a bech32 checksum, so the fields behind it would stay
        // unreached: decode the input again with its checksum made valid.
        if (WithValidChecksum(text.StartsWith("lightning:", StringComparison.OrdinalIgnoreCase) ? text[10..] : text) is { } fixedUp)
            Expect<Bolt11DecodeResult>(Bolt11Decoder.Decode(fixedUp), "Decode returns a result");
    }

    /// <summary>The input with its last six data characters replaced by a valid bech32 checksum, or null when it has no bech32 shape.</summary>
    internal static string? WithValidChecksum(string text)
    {
        var sep = text.LastIndexOf('1');
        if (sep < 1 || text.Length - sep - 1 < 6 || text.Length > 2 * Bolt11Decoder.MaxLength)
            return null;
        var hrp = text[..sep];
        if (hrp.Any(c => c is < (char)33 or > (char)126))
            return null;
        var data = new byte[text.Length - sep - 1 - 6];
        for (var i = 0; i < data.Length; i++)
        {
            var v = Bech32.Charset.IndexOf(char.ToLowerInvariant(text[sep + 1 + i]));
            if (v < 0)
                return null;
            data[i] = (byte)v;
        }
        return Bech32.Encode(hrp.ToLowerInvariant(), data);
    }

    /// <summary>Whatever bech32 accepts re-encodes to the same text, lower-cased.</summary>
    internal static void Bech32RoundTrip(string text, int maxLength)
    {
        if (Bech32.Decode(text, maxLength, out var hrp, out var data) != Bech32Error.None)
            return;
        Require(Bech32.Encode(hrp, data) == text.ToLowerInvariant(), "bech32 decode then encode gives the input back (lower case)");
        var bytes = Bech32.ConvertBits(data, 5, 8, pad: false);
        if (bytes is not null)
            Require(Bech32.ConvertBits(bytes, 8, 5, pad: true)!.AsSpan().SequenceEqual(data), "5-to-8 then 8-to-5 bits gives the groups back");
    }

    private static void CheckEncode(byte[] input)
    {
        var r = new ByteReader(input);
        var network = (BitcoinNetwork)(r.Byte() % 4);
        Msat? amount = r.Flag() ? null : new Msat((long)(r.UInt64() % long.MaxValue) + 1);
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(r.UInt32());
        var paymentHash = Bytes32.FromSpan(r.Bytes(32));
        var paymentSecret = Bytes32.FromSpan(r.Bytes(32));
        string? description = null;
        Bytes32? descriptionHash = null;
        if (r.Flag())
            description = System.Text.Encoding.UTF8.GetString(r.Bytes(r.Byte() % 200));
        else
            descriptionHash = Bytes32.FromSpan(r.Bytes(32));
        TimeSpan? expiry = r.Flag() ? TimeSpan.FromSeconds(r.UInt32()) : null;
        var cltv = (int)r.UInt16();
        IReadOnlyList<int>? features = null;
        if (r.Flag())
        {
            // The default plus optional (odd) bits, which a reader must accept whether it knows them or not.
            var bits = new SortedSet<int>(Bolt11Features.Default);
            var extra = r.Byte() % 8;
            for (var i = 0; i < extra; i++)
                bits.Add(2 * (r.UInt16() % 2557) + 1);
            features = [.. bits];
        }
        var hints = new List<RouteHint>();
        var hintCount = r.Byte() % 3;
        for (var i = 0; i < hintCount; i++)
        {
            var hops = new List<RouteHintHop>();
            var hopCount = 1 + r.Byte() % 3;
            for (var j = 0; j < hopCount; j++)
            {
                var pubKey = r.Bytes(33);
                pubKey[0] = (byte)(0x02 | (pubKey[0] & 1));
                hops.Add(new RouteHintHop(pubKey, r.UInt64(), r.UInt32(), r.UInt32(), r.UInt16()));
            }
            hints.Add(new RouteHint(hops));
        }
        var metadata = r.Flag() ? r.Bytes(r.Byte() % 64) : null;
        var includeN = r.Flag();

        var request = new Bolt11InvoiceRequest(network, amount, timestamp, paymentHash, paymentSecret, description, descriptionHash,
            expiry, cltv, features, hints, metadata, includeN);
        var text = Bolt11Encoder.Encode(request, SpecKey);
        var inv = Expect<Bolt11DecodeResult.Ok>(Bolt11Decoder.Decode(text), "an invoice the encoder wrote decodes").Invoice;

        Require(inv.Network == network, "network");
        Require(inv.Amount == amount, "amount");
        Require(inv.Timestamp == timestamp, "timestamp");
        Require(inv.PaymentHash == paymentHash, "payment hash");
        Require(inv.PaymentSecret == paymentSecret, "payment secret");
        Require(inv.Description == description && inv.DescriptionHash == descriptionHash, "description / description hash");
        Require(inv.Expiry == (expiry ?? TimeSpan.FromSeconds(Bolt11Invoice.DefaultExpirySeconds)) && inv.HasExplicitExpiry == expiry.HasValue, "expiry");
        Require(inv.MinFinalCltvExpiry == cltv, "min_final_cltv_expiry");
        var expectedBits = features ?? (metadata is null ? Bolt11Features.Default : [.. Bolt11Features.Default, Bolt11Features.PaymentMetadata + 1]);
        Require(inv.FeatureBits.Order().SequenceEqual(expectedBits.Distinct().Order()), "feature bits");
        Require(inv.RouteHints.Count == hints.Count && inv.RouteHints.Zip(hints).All(p => SameHint(p.First, p.Second)), "route hints");
        Require(metadata is null ? inv.Metadata is null : inv.Metadata is { } m && m.AsSpan().SequenceEqual(metadata), "metadata");
        Require(inv.PayeePubKey.AsSpan().SequenceEqual(SpecNodeId.Value) && inv.PayeeFromNField == includeN, "payee");
        Require(inv.Raw == text, "raw text");
    }

    private static bool SameHint(RouteHint a, RouteHint b) =>
        a.Hops.Count == b.Hops.Count && a.Hops.Zip(b.Hops).All(p =>
            p.First.PubKey.AsSpan().SequenceEqual(p.Second.PubKey) && p.First.ShortChannelId == p.Second.ShortChannelId
            && p.First.FeeBaseMsat == p.Second.FeeBaseMsat && p.First.FeeProportionalMillionths == p.Second.FeeProportionalMillionths
            && p.First.CltvExpiryDelta == p.Second.CltvExpiryDelta);
}
