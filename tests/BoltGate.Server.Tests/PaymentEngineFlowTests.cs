using System.Net;
using BoltGate.Client;
using BoltGate.Storage;

namespace BoltGate.Server.Tests;

/// <summary>
/// The payment engine behind the callback, in-process: the route pre-check before reserving, the
/// "pending" OK within the callback budget, GradedRetry cards and operator cancel, metrics.
/// </summary>
public abstract class PaymentEngineFlowTests : GatewaySuite
{
    protected override Dictionary<string, string?> Settings => new()
    {
        ["Payments:CallbackWait"] = "00:00:02",
    };

    [Fact(Timeout = 60_000)]
    public async Task A_payee_that_just_had_no_route_is_refused_before_anything_is_reserved()
    {
        var card = await Host.CreateCardAsync(balanceSat: 10_000);
        var first = await Host.CallbackAsync(await Host.OfferAsync(card, 1), Host.Invoice(1_000, payee: "noroute"));
        Assert.Equal(422, first.Status);
        Assert.Equal("NO_ROUTE", first.Body.GetProperty("code").GetString());
        Assert.Contains("your card was not charged", first.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var second = await Host.CallbackAsync(await Host.OfferAsync(card, 2), Host.Invoice(1_000, payee: "noroute"));

        Assert.Equal(422, second.Status);
        Assert.Equal("NO_ROUTE", second.Body.GetProperty("code").GetString());
        using var admin = Host.Admin();
        Assert.Single(await admin.ListWithdrawalsAsync(card.Id, default)); // the second was refused by the pre-check: no reservation
        Assert.Equal(10_000_000, await Host.BalanceMsatAsync(card.Id));
        var metrics = new PrometheusText(await Host.CreateClient().GetStringAsync("/metrics"));
        Assert.True(metrics.Value("boltgate_payment_refunds_total", ("code", "NO_ROUTE")) == 1, metrics.Text);
        Assert.Equal(1, metrics.Value("boltgate_payment_preflight_total", ("result", "no_route")));
        Assert.Equal(1, metrics.Value("boltgate_withdrawals_total", ("outcome", "Failed"), ("failure_kind", "NO_ROUTE")));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unknown_outcome_is_answered_ok_pending_within_the_budget_and_stays_reserved()
    {
        var card = await Host.CreateCardAsync(balanceSat: 10_000);
        var k1 = await Host.OfferAsync(card, 1);
        var callback = Host.CallbackAsync(k1, Host.Invoice(1_000, payee: "blackhole"));
        while (!callback.IsCompleted)
        {
            await Task.Delay(50);
            Host.Time.Advance(TimeSpan.FromMilliseconds(500)); // the gateway's clock: the 2 s budget runs out
        }

        var (status, body) = await callback;
        Assert.Equal(200, status);
        Assert.Equal("OK", body.GetProperty("status").GetString());
        Assert.StartsWith("pending", body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        using var admin = Host.Admin();
        var w = Assert.Single(await admin.ListWithdrawalsAsync(card.Id, default));
        Assert.Contains(w.State, new[] { "Sending", "InFlight" });
        Assert.True(await Host.BalanceMsatAsync(card.Id) <= 9_000_000);

        // The node may still settle it: the operator cannot cancel it.
        var cancel = await Assert.ThrowsAsync<BoltGateApiException>(() => admin.CancelWithdrawalAsync(w.Id, "test", default));
        Assert.Equal((HttpStatusCode.Conflict, "WITHDRAWAL_NOT_CANCELABLE"), (cancel.Status, cancel.Code));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_operator_payout_card_retries_and_the_operator_can_cancel_the_waiting_payout()
    {
        var card = await Host.CreateCardAsync(balanceSat: 10_000);
        using var admin = Host.Admin();
        var policy = await admin.SetPaymentPolicyAsync(card.Id, "GradedRetry", default);
        Assert.Equal((card.Id, "GradedRetry"), (policy.CardId, policy.Policy));
        var unknown = await Assert.ThrowsAsync<BoltGateApiException>(() => admin.SetPaymentPolicyAsync(card.Id, "Sometimes", default));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);

        var (status, body) = await Host.CallbackAsync(await Host.OfferAsync(card, 1), Host.Invoice(1_000, payee: "broke"));

        Assert.Equal(200, status);
        Assert.Contains("retried", body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var w = Assert.Single(await admin.ListWithdrawalsAsync(card.Id, default));
        Assert.Equal("Reserved", w.State);
        Assert.Equal("INSUFFICIENT_LIQUIDITY", w.FailureCode);

        var after = await admin.CancelWithdrawalAsync(w.Id, "payee asked", default);
        Assert.Equal("Failed", after.State);
        Assert.Equal("CANCELED", after.FailureCode);
        Assert.Equal(10_000_000, await Host.BalanceMsatAsync(card.Id));
        var again = await Assert.ThrowsAsync<BoltGateApiException>(() => admin.CancelWithdrawalAsync(w.Id, null, default));
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Empty(await Host.LedgerMismatchesAsync());
    }
}

[Trait(Category.Name, Category.Contract)]
public sealed class PaymentEngineFlowTests_Sqlite : PaymentEngineFlowTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[Trait(Category.Name, Category.Contract)]
public sealed class PaymentEngineFlowTests_Postgres : PaymentEngineFlowTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
