using System.Text.Json;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Lightning.CoreLightning;

namespace BoltGate.Lightning.Tests.Classifiers;

/// <summary>Core Lightning wire shapes (spec §2.2–2.9, schema examples, lightning #8070) and what each must mean.</summary>
[Trait(Category.Name, Category.Unit)]
public sealed class ClnOutcomeClassifierTests
{
    private static readonly Bytes32 Preimage = Bytes32.ParseHex("5dd460dcbf1508705dd460dcbf1508705dd460dcbf1508705dd460dcbf150870");
    private static readonly Bytes32 Hash = Bytes32.Sha256(Preimage.Span);

    private static ClnRpcError Error(string json)
    {
        var e = JsonDocument.Parse(json).RootElement.GetProperty("error");
        return new ClnRpcError(e.GetProperty("code").GetInt32(), e.GetProperty("message").GetString()!, e.Clone());
    }

    private static PaymentLookup ListPays(string json) => ClnOutcomeClassifier.FromListPays(JsonDocument.Parse(json).RootElement.GetProperty("pays"));

    [Fact]
    public void Xpay_result_is_success_with_fee_from_amount_sent()
    {
        var result = JsonDocument.Parse($$"""{"payment_preimage":"{{Preimage.ToHex()}}","amount_msat":10000,"amount_sent_msat":10002,"failed_parts":0,"successful_parts":1}""").RootElement;
        var ok = Assert.IsType<PaymentOutcome.Succeeded>(ClnOutcomeClassifier.FromPayResult(result, Hash));
        Assert.Equal(Preimage, ok.Preimage);
        Assert.Equal(new Msat(2), ok.Fee);
    }

    [Fact]
    public void Classic_pay_result_is_success()
    {
        var result = JsonDocument.Parse($$"""{"payment_preimage":"{{Preimage.ToHex()}}","amount_msat":50000,"amount_sent_msat":50001,"parts":1,"destination":"03cecbfdc68544cc596223b68ce0710c9e5d2c9cb317ee07822d95079acc703d31","payment_hash":"{{Hash.ToHex()}}","status":"complete","created_at":1738000000.0}""").RootElement;
        Assert.Equal(new Msat(1), Assert.IsType<PaymentOutcome.Succeeded>(ClnOutcomeClassifier.FromPayResult(result, Hash)).Fee);
    }

    [Fact]
    public void Success_whose_preimage_does_not_hash_to_ours_is_unknown()
    {
        var result = JsonDocument.Parse($$"""{"payment_preimage":"{{Hash.ToHex()}}","amount_msat":1,"amount_sent_msat":1}""").RootElement;
        Assert.IsType<PaymentOutcome.Unknown>(ClnOutcomeClassifier.FromPayResult(result, Hash));
    }

    [Theory]
    [InlineData("""{"error":{"code":207,"message":"Invoice expired"}}""", FailureKind.InvoiceExpired)]
    [InlineData("""{"error":{"code":207,"message":"Invoice expired 12 seconds ago"}}""", FailureKind.InvoiceExpired)]
    [InlineData("""{"error":{"code":-32602,"message":"invstring: Invalid bolt11: Bad bech32 string"}}""", FailureKind.IncorrectPaymentDetails)]
    public void Refused_before_sending_is_definitive(string json, FailureKind kind)
    {
        Assert.Equal(kind, Assert.IsType<ClnPayError.NotSent>(ClnOutcomeClassifier.ClassifyPayError(Error(json))).Kind);
    }

    public static TheoryData<string, FailureKind?, bool> ConfirmedErrors => new()
    {
        { """{"error":{"code":205,"message":"Failed: We could not find a usable set of paths."}}""", FailureKind.NoRoute, true },
        { """{"error":{"code":209,"message":"Timed out after after 8 attempts. We got a weird error (fee_insufficient)"}}""", FailureKind.Timeout, true },
        { """{"error":{"code":209,"message":"Failed after 3 attempts. Last error: permanent_channel_failure"}}""", FailureKind.Unknown, true },
        { """{"error":{"code":210,"message":"Ran out of routes to try after 3 attempts: see `paystatus`","attempts":[{"status":"failed","failreason":"x","partid":0,"amount_msat":25000000}]}}""", FailureKind.NoRoute, true },
        { """{"error":{"code":0,"message":"Destination 0390aa is not reachable directly and all routehints were unusable."}}""", FailureKind.NoRoute, true },
        { """{"error":{"code":0,"message":"We don't have sufficient funds to pay this invoice"}}""", FailureKind.InsufficientLiquidity, true },
        { """{"error":{"code":215,"message":"We don't have enough funds"}}""", FailureKind.InsufficientLiquidity, true },
        { """{"error":{"code":206,"message":"Fee exceeds our fee budget"}}""", FailureKind.FeeLimitExceeded, true },
        { """{"error":{"code":203,"message":"failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (reply from remote)","failcodename":"WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS"}}""", FailureKind.IncorrectPaymentDetails, true },
        { """{"error":{"code":219,"message":"Already paid this invoice successfully"}}""", FailureKind.AlreadyPaid, false },
        { """{"error":{"code":200,"message":"Payment with groupid=2 still in progress, cannot retry before that completes."}}""", null, false },
        { """{"error":{"code":-3,"message":"Unexpected injectpaymentonion error 200: Payment with groupid=1 still in progress"}}""", null, false },
        { """{"error":{"code":-4,"message":"Plugin terminated before replying to RPC call."}}""", null, false },
        { """{"error":{"code":-5,"message":"lightningd is shutting down"}}""", null, false },
    };

    [Theory]
    [MemberData(nameof(ConfirmedErrors))]
    public void Every_other_error_is_confirmed_with_listpays(string json, FailureKind? kind, bool conclusive)
    {
        var confirm = Assert.IsType<ClnPayError.Confirm>(ClnOutcomeClassifier.ClassifyPayError(Error(json)));
        Assert.Equal(kind, confirm.Kind);
        Assert.Equal(conclusive, confirm.Conclusive);
    }

    private string Entry(string status, string extra = "") =>
        $$"""{"bolt11":"lnbc250u1p","destination":"02f1","payment_hash":"{{Hash.ToHex()}}","status":"{{status}}","created_at":1767225600{{extra}}}""";

    [Fact]
    public void Xpay_error_with_a_part_still_pending_is_unknown_never_failed()
    {
        var confirm = (ClnPayError.Confirm)ClnOutcomeClassifier.ClassifyPayError(Error("""{"error":{"code":209,"message":"Failed after 1 attempts."}}"""));
        var pending = ListPays($$"""{"pays":[{{Entry("failed")}},{{Entry("pending", ",\"amount_msat\":25000000,\"amount_sent_msat\":25003025")}}]}""");
        Assert.IsType<PaymentOutcome.Unknown>(ClnOutcomeClassifier.Confirmed(confirm, pending));
    }

    [Fact]
    public void Error_confirmed_by_only_failed_groups_is_failed_with_the_errors_kind()
    {
        var confirm = (ClnPayError.Confirm)ClnOutcomeClassifier.ClassifyPayError(Error("""{"error":{"code":205,"message":"no paths"}}"""));
        var failed = ClnOutcomeClassifier.Confirmed(confirm, ListPays($$"""{"pays":[{{Entry("failed")}}]}"""));
        Assert.Equal(FailureKind.NoRoute, Assert.IsType<PaymentOutcome.Failed>(failed).Kind);
        var none = ClnOutcomeClassifier.Confirmed(confirm, ListPays("""{"pays":[]}"""));
        Assert.Equal(FailureKind.NoRoute, Assert.IsType<PaymentOutcome.Failed>(none).Kind);
    }

    [Fact]
    public void Already_paid_confirmed_by_a_complete_entry_is_the_earlier_success()
    {
        var confirm = (ClnPayError.Confirm)ClnOutcomeClassifier.ClassifyPayError(Error("""{"error":{"code":219,"message":"Already paid this invoice successfully"}}"""));
        var lookup = ListPays($$"""{"pays":[{{Entry("complete", $",\"preimage\":\"{Preimage.ToHex()}\",\"amount_msat\":1000,\"amount_sent_msat\":1100")}}]}""");
        Assert.Equal(new Msat(100), Assert.IsType<PaymentOutcome.Succeeded>(ClnOutcomeClassifier.Confirmed(confirm, lookup)).Fee);
    }

    [Fact]
    public void Inconclusive_error_with_no_record_stays_unknown()
    {
        var confirm = (ClnPayError.Confirm)ClnOutcomeClassifier.ClassifyPayError(Error("""{"error":{"code":-5,"message":"lightningd is shutting down"}}"""));
        Assert.IsType<PaymentOutcome.Unknown>(ClnOutcomeClassifier.Confirmed(confirm, ListPays("""{"pays":[]}""")));
        Assert.IsType<PaymentOutcome.Unknown>(ClnOutcomeClassifier.Confirmed(confirm, new PaymentLookup.Unavailable("down")));
    }

    [Fact]
    public void Listpays_empty_is_not_found()
    {
        Assert.IsType<PaymentLookup.NotFound>(ListPays("""{"pays":[]}"""));
    }

    [Fact]
    public void Listpays_pending_is_found_unknown()
    {
        var found = Assert.IsType<PaymentLookup.Found>(ListPays($$"""{"pays":[{{Entry("pending", ",\"amount_msat\":25000000,\"amount_sent_msat\":25003025")}}]}"""));
        Assert.IsType<PaymentOutcome.Unknown>(found.Outcome);
    }

    [Fact]
    public void Listpays_complete_after_failed_retries_is_success()
    {
        var found = Assert.IsType<PaymentLookup.Found>(ListPays($$"""{"pays":[{{Entry("failed")}},{{Entry("complete", $",\"preimage\":\"{Preimage.ToHex()}\",\"amount_msat\":1000,\"amount_sent_msat\":1000")}}]}"""));
        Assert.Equal(Preimage, Assert.IsType<PaymentOutcome.Succeeded>(found.Outcome).Preimage);
    }

    [Fact]
    public void Listsendpays_parts_use_payment_preimage()
    {
        var parts = JsonDocument.Parse($$"""[{"id":1,"groupid":1,"partid":1,"payment_hash":"{{Hash.ToHex()}}","status":"complete","amount_msat":1000,"amount_sent_msat":1001,"payment_preimage":"{{Preimage.ToHex()}}"}]""").RootElement;
        var found = Assert.IsType<PaymentLookup.Found>(ClnOutcomeClassifier.FromListPays(parts));
        Assert.IsType<PaymentOutcome.Succeeded>(found.Outcome);
    }

    [Fact]
    public void Listpays_all_failed_is_failed()
    {
        var found = Assert.IsType<PaymentLookup.Found>(ListPays($$"""{"pays":[{{Entry("failed")}},{{Entry("failed")}}]}"""));
        Assert.IsType<PaymentOutcome.Failed>(found.Outcome);
    }

    [Theory]
    [InlineData("v24.11", 24, 11)]
    [InlineData("v26.06-258-g090f4b0", 26, 6)]
    [InlineData("v25.12.1", 25, 12)]
    [InlineData("0.10.2", 0, 10)]
    [InlineData("v23.05gl1", 23, 5)]
    public void Versions_parse_as_major_minor(string text, int major, int minor)
    {
        Assert.True(ClnVersion.TryParse(text, out var v));
        Assert.Equal(new ClnVersion(major, minor), v);
    }
}
