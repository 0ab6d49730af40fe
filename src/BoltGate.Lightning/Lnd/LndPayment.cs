using System.Globalization;
using System.Text.Json;

namespace BoltGate.Lightning.Lnd;

/// <summary>
/// The fields of an <c>lnrpc.Payment</c> that decide an outcome, read from lnd's REST JSON
/// (proto names, int64 as strings, hash and preimage as hex, enums by name).
/// </summary>
public sealed record LndPayment(
    string PaymentHash,
    string Status,
    string FailureReason,
    string PaymentPreimage,
    long FeeMsat,
    int HtlcsInFlight,
    int HtlcsFailed)
{
    public static LndPayment Parse(JsonElement payment)
    {
        if (payment.ValueKind != JsonValueKind.Object)
            throw new FormatException("lnd payment is not a JSON object.");
        var inFlight = 0;
        var failed = 0;
        if (payment.TryGetProperty("htlcs", out var htlcs) && htlcs.ValueKind == JsonValueKind.Array)
        {
            foreach (var htlc in htlcs.EnumerateArray())
            {
                var status = LndJson.String(htlc, "status");
                // HTLCAttempt.HTLCStatus: IN_FLIGHT is the zero value, so protojson always prints it by name.
                if (status is "IN_FLIGHT" or "")
                    inFlight++;
                else if (status == "FAILED")
                    failed++;
            }
        }
        return new LndPayment(
            LndJson.String(payment, "payment_hash"),
            LndJson.String(payment, "status"),
            LndJson.String(payment, "failure_reason"),
            LndJson.String(payment, "payment_preimage"),
            LndJson.Int64(payment, "fee_msat"),
            inFlight,
            failed);
    }
}

/// <summary>Reading lnd's protojson: every int64 may arrive as a string or a number.</summary>
internal static class LndJson
{
    // Every reader takes any JSON value: an HTLC that is not an object reads as empty (status "" counts as in flight).
    public static string String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    public static long Int64(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v))
            return 0;
        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetInt64(),
            JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            JsonValueKind.String or JsonValueKind.Null => 0,
            _ => throw new FormatException($"lnd field '{name}' is not an integer."),
        };
    }

    public static bool Bool(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
