using System.Globalization;
using System.Text.Json.Nodes;
using BoltGate.Core.Payments;
using BoltGate.Lightning.Simulated;

namespace BoltGate.Lightning.Fakes.Lnd;

/// <summary>
/// lnd's REST JSON as its protojson marshaller prints it (spec §1.2, §1.5): proto names, every
/// field present, int64 as strings, hash/preimage hex, HTLC preimage base64, enums by name.
/// </summary>
internal static class LndJsonShapes
{
    private static string S(long v) => v.ToString(CultureInfo.InvariantCulture);

    public static string FailureReason(SimulatedPayment p) => p.Status switch
    {
        SimulatedPaymentStatus.Failed => p.FailureKind switch
        {
            FailureKind.NoRoute or FailureKind.FeeLimitExceeded => "FAILURE_REASON_NO_ROUTE",
            FailureKind.InsufficientLiquidity => "FAILURE_REASON_INSUFFICIENT_BALANCE",
            FailureKind.IncorrectPaymentDetails => "FAILURE_REASON_INCORRECT_PAYMENT_DETAILS",
            FailureKind.Timeout => "FAILURE_REASON_TIMEOUT",
            FailureKind.Canceled => "FAILURE_REASON_CANCELED",
            _ => "FAILURE_REASON_ERROR",
        },
        // The reason survives settlement: SUCCEEDED with TIMEOUT is a legal final state.
        _ => p.NodeGaveUp ? "FAILURE_REASON_TIMEOUT" : "FAILURE_REASON_NONE",
    };

    public static JsonObject Payment(SimulatedPayment p, long index)
    {
        var succeeded = p.Status == SimulatedPaymentStatus.Succeeded;
        var status = p.Status switch
        {
            SimulatedPaymentStatus.Succeeded => "SUCCEEDED",
            SimulatedPaymentStatus.Failed => "FAILED",
            _ => "IN_FLIGHT",
        };
        var htlcs = new JsonArray();
        var attempt = 1000L;
        var resolveNs = (p.ResolvedAt ?? p.CreatedAt).ToUnixTimeMilliseconds() * 1_000_000;
        // Failed attempts are pruned when the payment lifecycle exits (keep-failed-payment-attempts=false).
        if (!p.IsFinal)
        {
            for (var i = 0; i < p.HtlcsFailed; i++)
                htlcs.Add(Htlc(attempt++, "FAILED", p, resolveNs, new JsonObject
                {
                    ["code"] = "TEMPORARY_CHANNEL_FAILURE",
                    ["channel_update"] = null,
                    ["htlc_msat"] = "0",
                    ["onion_sha_256"] = "",
                    ["cltv_expiry"] = 0,
                    ["flags"] = 0,
                    ["failure_source_index"] = 1,
                    ["height"] = 0,
                }, ""));
            for (var i = 0; i < p.HtlcsInFlight; i++)
                htlcs.Add(Htlc(attempt++, "IN_FLIGHT", p, 0, null, ""));
        }
        else if (succeeded)
        {
            htlcs.Add(Htlc(attempt, "SUCCEEDED", p, resolveNs, null, Convert.ToBase64String(p.Preimage!.Value.Span)));
        }
        var createdNs = p.CreatedAt.ToUnixTimeMilliseconds() * 1_000_000;
        var fee = succeeded ? p.Fee.Value : 0;
        return new JsonObject
        {
            ["payment_hash"] = p.Hash.ToHex(),
            ["value"] = S(p.Amount.WholeSat),
            ["creation_date"] = S(p.CreatedAt.ToUnixTimeSeconds()),
            ["fee"] = S(fee / 1000),
            ["payment_preimage"] = succeeded ? p.Preimage!.Value.ToHex() : new string('0', 64),
            ["value_sat"] = S(p.Amount.WholeSat),
            ["value_msat"] = S(p.Amount.Value),
            ["payment_request"] = p.Bolt11,
            ["status"] = status,
            ["fee_sat"] = S(fee / 1000),
            ["fee_msat"] = S(fee),
            ["creation_time_ns"] = S(createdNs),
            ["htlcs"] = htlcs,
            ["payment_index"] = S(index),
            ["failure_reason"] = FailureReason(p),
            ["first_hop_custom_records"] = new JsonObject(),
        };
    }

    private static JsonObject Htlc(long id, string status, SimulatedPayment p, long resolveNs, JsonObject? failure, string preimageB64) => new()
    {
        ["attempt_id"] = S(id),
        ["status"] = status,
        ["route"] = new JsonObject
        {
            ["total_time_lock"] = 903214,
            ["total_fees"] = S(p.Fee.WholeSat),
            ["total_amt"] = S((p.Amount + p.Fee).WholeSat),
            ["hops"] = new JsonArray(),
            ["total_fees_msat"] = S(p.Fee.Value),
            ["total_amt_msat"] = S((p.Amount + p.Fee).Value),
            ["first_hop_amount_msat"] = S((p.Amount + p.Fee).Value),
            ["custom_channel_data"] = "",
        },
        ["attempt_time_ns"] = S(p.CreatedAt.ToUnixTimeMilliseconds() * 1_000_000),
        ["resolve_time_ns"] = S(resolveNs),
        ["failure"] = failure,
        ["preimage"] = preimageB64,
    };

    public static JsonObject Status(int code, string message) => new() { ["code"] = code, ["message"] = message, ["details"] = new JsonArray() };

    public static JsonObject ErrorChunk(int code, string message) => new() { ["error"] = Status(code, message) };

    public static JsonObject Result(JsonNode payload) => new() { ["result"] = payload };

}
