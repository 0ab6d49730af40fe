using System.Text.Json;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Lightning.Lnd;

namespace BoltGate.Lightning.Tests.Classifiers;

/// <summary>lnd wire shapes (spec §1.11, lnd #7821, the Zeus capture) and what each must mean.</summary>
[Trait(Category.Name, Category.Unit)]
public sealed class LndOutcomeClassifierTests
{
    private const string Hash = "e7676eddff716efed12232dd0e63f7e4757c30d917d4affaad15704697b274b4";
    private static readonly Bytes32 Preimage = Bytes32.ParseHex("6c3a1f2e9b4d7a0c5e8f1b2d3c4a5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f");
    private static readonly string RealHash = Bytes32.Sha256(Preimage.Span).ToHex();
    private static readonly string Zeros = new('0', 64);

    private static string Payment(string hash, string status, string reason, string preimage, string feeMsat, string htlcs) =>
        $$$"""{"payment_hash":"{{{hash}}}","value":"25000","creation_date":"1767225600","fee":"0","payment_preimage":"{{{preimage}}}","value_sat":"25000","value_msat":"25000000","payment_request":"lnbc250u1p","status":"{{{status}}}","fee_sat":"0","fee_msat":"{{{feeMsat}}}","creation_time_ns":"1767225600123456789","htlcs":{{{htlcs}}},"payment_index":"42","failure_reason":"{{{reason}}}","first_hop_custom_records":{}}""";

    private const string HtlcInFlight = """{"attempt_id":"1009","status":"IN_FLIGHT","route":{},"attempt_time_ns":"1767225601300000000","resolve_time_ns":"0","failure":null,"preimage":""}""";
    private const string HtlcFailed = """{"attempt_id":"1008","status":"FAILED","route":{},"attempt_time_ns":"1767225600200000000","resolve_time_ns":"1767225601100000000","failure":{"code":"TEMPORARY_CHANNEL_FAILURE","channel_update":null,"htlc_msat":"0","onion_sha_256":"","cltv_expiry":0,"flags":0,"failure_source_index":1,"height":0},"preimage":""}""";

    private static LndPaymentState Classify(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return LndOutcomeClassifier.Classify(LndPayment.Parse(doc.RootElement));
    }

    public static TheoryData<string, string> PendingShapes => new()
    {
        { "fresh payment, no HTLC yet", Payment(Hash, "IN_FLIGHT", "FAILURE_REASON_NONE", Zeros, "0", "[]") },
        { "usestatusinitiated", Payment(Hash, "INITIATED", "FAILURE_REASON_NONE", Zeros, "0", "[]") },
        { "timeout fired with an HTLC held (sample c)", Payment(Hash, "IN_FLIGHT", "FAILURE_REASON_TIMEOUT", Zeros, "0", $"[{HtlcFailed},{HtlcInFlight}]") },
        { "canceled stream with an HTLC held", Payment(Hash, "IN_FLIGHT", "FAILURE_REASON_CANCELED", Zeros, "0", $"[{HtlcInFlight}]") },
        { "deprecated UNKNOWN status", Payment(Hash, "UNKNOWN", "FAILURE_REASON_NONE", Zeros, "0", "[]") },
        { "a status from a future lnd", Payment(Hash, "SOMETHING_NEW", "FAILURE_REASON_ERROR", Zeros, "0", "[]") },
    };

    [Theory]
    [MemberData(nameof(PendingShapes))]
    public void In_flight_is_pending_whatever_the_failure_reason(string because, string json)
    {
        Assert.IsType<LndPaymentState.Pending>(Classify(json));
        Assert.False(string.IsNullOrEmpty(because));
    }

    [Fact]
    public void Timeout_with_a_held_htlc_counts_the_htlc_and_keeps_the_reason()
    {
        var pending = Assert.IsType<LndPaymentState.Pending>(Classify(Payment(Hash, "IN_FLIGHT", "FAILURE_REASON_TIMEOUT", Zeros, "0", $"[{HtlcFailed},{HtlcInFlight}]")));
        Assert.Equal(1, pending.HtlcsInFlight);
        Assert.Equal("FAILURE_REASON_TIMEOUT", pending.FailureReason);
    }

    [Theory]
    [InlineData("FAILURE_REASON_NONE")]
    [InlineData("FAILURE_REASON_TIMEOUT")]
    public void Succeeded_is_success_with_preimage_and_fee_even_after_a_timeout(string reason)
    {
        var final = Assert.IsType<LndPaymentState.Final>(Classify(Payment(RealHash, "SUCCEEDED", reason, Preimage.ToHex(), "3025", "[]")));
        var ok = Assert.IsType<PaymentOutcome.Succeeded>(final.Outcome);
        Assert.Equal(Preimage, ok.Preimage);
        Assert.Equal(new Msat(3025), ok.Fee);
    }

    [Fact]
    public void Succeeded_with_a_preimage_that_does_not_match_the_hash_is_unknown()
    {
        // The spec's sample preimage does hash to its sample hash; another preimage must not pass.
        var other = "5dd460dcbf1508705dd460dcbf1508705dd460dcbf1508705dd460dcbf150870";
        var final = Assert.IsType<LndPaymentState.Final>(Classify(Payment(Hash, "SUCCEEDED", "FAILURE_REASON_NONE", other, "0", "[]")));
        Assert.IsType<PaymentOutcome.Unknown>(final.Outcome);
        var zeros = Assert.IsType<LndPaymentState.Final>(Classify(Payment(Hash, "SUCCEEDED", "FAILURE_REASON_NONE", Zeros, "0", "[]")));
        Assert.IsType<PaymentOutcome.Unknown>(zeros.Outcome);
    }

    [Theory]
    [InlineData("FAILURE_REASON_NO_ROUTE", FailureKind.NoRoute)]
    [InlineData("FAILURE_REASON_INSUFFICIENT_BALANCE", FailureKind.InsufficientLiquidity)]
    [InlineData("FAILURE_REASON_INCORRECT_PAYMENT_DETAILS", FailureKind.IncorrectPaymentDetails)]
    [InlineData("FAILURE_REASON_TIMEOUT", FailureKind.Timeout)]
    [InlineData("FAILURE_REASON_CANCELED", FailureKind.Canceled)]
    [InlineData("FAILURE_REASON_ERROR", FailureKind.Unknown)]
    public void Failed_is_definitive_with_the_reason_as_kind(string reason, FailureKind kind)
    {
        // Sample (b): FAILED with htlcs pruned to [].
        var final = Assert.IsType<LndPaymentState.Final>(Classify(Payment(Hash, "FAILED", reason, Zeros, "0", "[]")));
        var failed = Assert.IsType<PaymentOutcome.Failed>(final.Outcome);
        Assert.Equal(kind, failed.Kind);
        Assert.Contains(reason, failed.NodeMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Int64_fields_are_read_from_strings_or_numbers()
    {
        using var doc = JsonDocument.Parse("""{"payment_hash":"","status":"SUCCEEDED","fee_msat":3025,"htlcs":[]}""");
        Assert.Equal(3025, LndPayment.Parse(doc.RootElement).FeeMsat);
    }

    public static TheoryData<int, string, string> SendErrors => new()
    {
        { 409, """{"error":{"code":6,"message":"payment is in transition","details":[]}}""", nameof(LndSendError.Pending) },
        { 409, """{"error":{"code":6,"message":"payment already exists","details":[]}}""", nameof(LndSendError.Pending) },
        { 409, """{"error":{"code":6,"message":"invoice is already paid","details":[]}}""", nameof(LndSendError.SucceededEarlier) },
        { 500, """{"error":{"code":2,"message":"invoice expired. Valid until 2026-01-01 00:00:00 +0000 UTC","details":[]}}""", nameof(LndSendError.NotSent) },
        { 500, """{"error":{"code":2,"message":"self-payments not allowed","details":[]}}""", nameof(LndSendError.NotSent) },
        { 500, """{"error":{"code":2,"message":"amount must be specified when paying a zero amount invoice","details":[]}}""", nameof(LndSendError.NotSent) },
        { 400, """{"code":3,"message":"proto: (line 1:2): unknown field \"outgoing_chan_id\"","details":[]}""", nameof(LndSendError.NotSent) },
        { 500, """{"code":2,"message":"expected 1 macaroon, got 0","details":[]}""", nameof(LndSendError.NotSent) },
        { 500, """{"code":2,"message":"wallet locked, unlock it to enable full RPC access","details":[]}""", nameof(LndSendError.NotSent) },
        { 503, """{"code":14,"message":"waiting to start, RPC services not available","details":[]}""", nameof(LndSendError.NotSent) },
        { 200, """{"error":{"code":2,"message":"routerrpc server shutting down","details":[]}}""", nameof(LndSendError.Ambiguous) },
        { 502, "<html>Bad Gateway</html>", nameof(LndSendError.Ambiguous) },
    };

    [Theory]
    [MemberData(nameof(SendErrors))]
    public void Send_errors_are_classified(int status, string body, string expected)
    {
        var result = LndOutcomeClassifier.ClassifySendError(status, LndError.Parse(body));
        Assert.Equal(expected, result.GetType().Name);
    }

    [Fact]
    public void Expired_invoice_error_is_invoice_expired()
    {
        var result = LndOutcomeClassifier.ClassifySendError(500, LndError.Parse("""{"error":{"code":2,"message":"invoice expired. Valid until x","details":[]}}"""));
        Assert.Equal(FailureKind.InvoiceExpired, Assert.IsType<LndSendError.NotSent>(result).Kind);
    }

    [Fact]
    public void Track_404_payment_not_initiated_is_not_found()
    {
        var lookup = LndOutcomeClassifier.ClassifyTrackError(404, LndError.Parse("""{"error":{"code":5,"message":"payment isn't initiated","details":[]}}"""));
        Assert.IsType<PaymentLookup.NotFound>(lookup);
    }

    [Theory]
    [InlineData(500, """{"error":{"code":2,"message":"invalid hash length of 48, want 32","details":[]}}""")]
    [InlineData(404, "Not Found")]
    [InlineData(503, """{"code":14,"message":"waiting to start, RPC services not available","details":[]}""")]
    public void Other_track_errors_say_nothing_about_the_payment(int status, string body)
    {
        Assert.IsType<PaymentLookup.Unavailable>(LndOutcomeClassifier.ClassifyTrackError(status, LndError.Parse(body)));
    }

    [Fact]
    public void Track_of_an_in_flight_payment_is_found_but_unknown()
    {
        using var doc = JsonDocument.Parse(Payment(Hash, "IN_FLIGHT", "FAILURE_REASON_TIMEOUT", Zeros, "0", $"[{HtlcInFlight}]"));
        var found = Assert.IsType<PaymentLookup.Found>(LndOutcomeClassifier.ToLookup(LndPayment.Parse(doc.RootElement)));
        Assert.IsType<PaymentOutcome.Unknown>(found.Outcome);
    }
}
