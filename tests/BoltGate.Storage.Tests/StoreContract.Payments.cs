using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Storage.Tests;

// Schema v2: what the payment engine relies on, on both engines.
public abstract partial class StoreContract
{
    [Fact]
    public async Task Policy_is_the_cards_unless_the_withdrawal_overrides_it()
    {
        var card = await NewCardAsync(10_000);
        var w = await ReserveAsync(card.Id, 1, 1_000, 10);
        Assert.Equal(PaymentPolicy.FastFail, (await Store.GetPaymentPlanAsync(w.Id))!.Policy);

        Assert.True(await Store.SetCardPaymentPolicyAsync(card.Id, PaymentPolicy.GradedRetry));
        Assert.Equal(PaymentPolicy.GradedRetry, (await Store.GetPaymentPlanAsync(w.Id))!.Policy);
        Assert.True(await Store.SetWithdrawalPaymentPolicyAsync(w.Id, PaymentPolicy.FastFail));
        Assert.Equal(PaymentPolicy.FastFail, (await Store.GetPaymentPlanAsync(w.Id))!.Policy);

        await Store.MarkSendingAsync(w.Id);
        Assert.False(await Store.SetWithdrawalPaymentPolicyAsync(w.Id, PaymentPolicy.GradedRetry)); // only before sending
        Assert.False(await Store.SetCardPaymentPolicyAsync("no-such-card", PaymentPolicy.GradedRetry));
    }

    [Fact]
    public async Task A_lease_is_held_by_one_owner_until_it_lapses_or_is_freed()
    {
        var card = await NewCardAsync(10_000);
        var w = await ReserveAsync(card.Id, 1, 1_000);
        Assert.True(await Store.TryLeaseAsync(w.Id, "a", TimeSpan.FromSeconds(30)));
        Assert.True(await Store.TryLeaseAsync(w.Id, "a", TimeSpan.FromSeconds(30))); // renewal
        Assert.False(await Store.TryLeaseAsync(w.Id, "b", TimeSpan.FromSeconds(30)));
        Time.Advance(TimeSpan.FromSeconds(31));
        Assert.True(await Store.TryLeaseAsync(w.Id, "b", TimeSpan.FromSeconds(30)));
        Assert.Equal(1, await Store.ReleaseLeasesOfAsync("b"));
        Assert.True(await Store.TryLeaseAsync(w.Id, "a", TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task The_reconciler_claims_only_what_is_due()
    {
        var card = await NewCardAsync(10_000);
        var fresh = await ReserveAsync(card.Id, 1, 1_000);
        Assert.Empty(await Store.ClaimDueAsync("r", TimeSpan.FromMinutes(1), 10, TimeSpan.FromSeconds(10)));

        Time.Advance(TimeSpan.FromSeconds(11));
        var retrying = await ReserveAsync(card.Id, 2, 1_000);
        await Store.MarkSendingAsync(retrying.Id, Time.GetUtcNow().AddSeconds(30));
        Assert.IsType<TransitionResult.Applied>(await Store.ScheduleRetryAsync(retrying.Id, FailureKind.NoRoute, "no route", Time.GetUtcNow().AddMinutes(2)));

        var claimed = await Store.ClaimDueAsync("r", TimeSpan.FromMinutes(1), 10, TimeSpan.FromSeconds(10));
        Assert.Equal([fresh.Id], claimed.Select(c => c.Id));
        Assert.Empty(await Store.ClaimDueAsync("other", TimeSpan.FromMinutes(1), 10, TimeSpan.FromSeconds(10))); // leased

        Time.Advance(TimeSpan.FromMinutes(2));
        var due = await Store.ClaimDueAsync("other", TimeSpan.FromMinutes(1), 10, TimeSpan.FromSeconds(10));
        Assert.Contains(due, c => c.Id == retrying.Id);
        var plan = await Store.GetPaymentPlanAsync(retrying.Id);
        Assert.NotNull(plan!.NextAttemptAt);
    }

    [Fact]
    public async Task Cancel_refunds_only_from_reserved()
    {
        var card = await NewCardAsync(10_000);
        var waiting = await ReserveAsync(card.Id, 1, 1_000, 10);
        var sending = await ReserveAsync(card.Id, 2, 1_000, 10);
        await Store.MarkSendingAsync(sending.Id);

        Assert.IsType<TransitionResult.Applied>(await Store.CancelReservedAsync(waiting.Id, "operator"));
        Assert.Equal(WithdrawalState.Sending, Assert.IsType<TransitionResult.WrongState>(await Store.CancelReservedAsync(sending.Id, "operator")).Current);
        Assert.IsType<TransitionResult.WrongState>(await Store.CancelReservedAsync(waiting.Id, "again"));
        Assert.Equal(Msat.FromSat(10_000) - Msat.FromSat(1_010), await BalanceAsync(card.Id));
        Assert.Equal(FailureKind.Canceled.Code(), (await Store.GetWithdrawalAsync(waiting.Id))!.FailureCode);
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task Operator_paid_fees_give_the_card_its_whole_reserve_back()
    {
        var card = await NewCardAsync(10_000);
        var byCard = await ReserveAsync(card.Id, 1, 1_000, 10);
        var byOperator = await ReserveAsync(card.Id, 2, 1_000, 10);
        await Store.MarkSendingAsync(byCard.Id);
        await Store.MarkSendingAsync(byOperator.Id);
        var preimage = Bytes32.FromSpan(new byte[32]);

        await Store.SettleAsync(byCard.Id, preimage, Msat.FromSat(3), FeePayer.Card);
        await Store.SettleAsync(byOperator.Id, preimage, Msat.FromSat(3), FeePayer.Operator);

        Assert.Equal(Msat.FromSat(10_000 - 1_003 - 1_000), await BalanceAsync(card.Id));
        Assert.Equal(Msat.FromSat(3), (await Store.GetWithdrawalAsync(byOperator.Id))!.Fee);
        var releases = (await Store.ListLedgerAsync(card.Id)).Where(e => e.Kind == LedgerKind.FeeRelease).ToList();
        Assert.Equal(2, releases.Count);
        await AssertLedgerMatchesAsync();
    }
}
