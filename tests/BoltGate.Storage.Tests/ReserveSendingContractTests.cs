using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Storage.Tests;

/// <summary>
/// The callback's combined transaction (reserve + lease + Sending in one commit), on both engines: it leaves
/// exactly what reserve, lease and mark-sending left one after another, and refuses exactly as reserve did.
/// </summary>
public abstract class ReserveSendingContractTests : StoreTestBase
{
    private static readonly SendingLease Lease = new("gateway-a", TimeSpan.FromMinutes(3));

    [Fact]
    public async Task Reserves_and_commits_the_intent_to_pay_with_its_lease_in_one_transaction()
    {
        var card = await NewCardAsync(balanceSat: 1000, dailySat: 500);
        var session = await OfferAsync(card.Id, 5);
        var request = Request(session.K1, 300, 4);

        var w = Assert.IsType<ReserveResult.Reserved>(await Store.ReserveSendingAsync(request, Lease)).Withdrawal;

        Assert.Equal(WithdrawalState.Sending, w.State);
        Assert.Equal(1, w.Attempts);
        Assert.Equal(Start, w.SendingAt);
        Assert.Equal(Start.AddMinutes(1), w.Deadline);
        Assert.Equal("gateway-a", w.LeaseOwner);
        Assert.Equal(Start.AddMinutes(3), w.LeaseUntil);
        Assert.Equal(Msat.FromSat(304), w.Reserved);
        // What was returned is what was committed (the drive uses it without reading it again).
        Assert.Equal(w, await Store.GetWithdrawalAsync(w.Id));

        var after = (await Store.GetCardAsync(card.Id))!;
        Assert.Equal(Msat.FromSat(696), after.Balance);
        Assert.Equal(5, after.Counter);
        Assert.True((await Store.GetSessionAsync(session.K1))!.IsConsumed);
        Assert.Equal(Msat.FromSat(300), await Store.GetDailyUsageAsync(card.Id, Start));
        var reservation = (await Store.ListLedgerAsync(card.Id)).Last();
        Assert.Equal(LedgerKind.Reservation, reservation.Kind);
        Assert.Equal(-304_000, reservation.Amount.Value);
        Assert.Equal(w.Id, reservation.WithdrawalId);
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task It_says_which_strategy_the_withdrawal_starts_with_the_cards()
    {
        var card = await NewCardAsync(balanceSat: 1000);
        var fastFail = Assert.IsType<ReserveResult.Reserved>(await Store.ReserveSendingAsync(Request((await OfferAsync(card.Id, 1)).K1, 10), Lease));
        Assert.True(await Store.SetCardPaymentPolicyAsync(card.Id, PaymentPolicy.GradedRetry));
        var graded = Assert.IsType<ReserveResult.Reserved>(await Store.ReserveSendingAsync(Request((await OfferAsync(card.Id, 2)).K1, 10), Lease));

        Assert.Equal(PaymentPolicy.FastFail, fastFail.Policy);
        Assert.Equal(PaymentPolicy.GradedRetry, graded.Policy);
        Assert.Equal(PaymentPolicy.GradedRetry, (await Store.GetPaymentPlanAsync(graded.Withdrawal.Id))!.Policy);
    }

    [Fact]
    public async Task The_lease_it_writes_keeps_other_instances_and_the_reconciler_off_the_row()
    {
        var card = await NewCardAsync(balanceSat: 1000);
        var session = await OfferAsync(card.Id, 1);
        var w = Assert.IsType<ReserveResult.Reserved>(await Store.ReserveSendingAsync(Request(session.K1, 10), Lease)).Withdrawal;

        Assert.False(await Store.TryLeaseAsync(w.Id, "gateway-b", TimeSpan.FromMinutes(2)));
        Assert.Empty(await Store.ClaimDueAsync("gateway-b", TimeSpan.FromMinutes(2), 10, TimeSpan.Zero));
        Assert.True(await Store.TryLeaseAsync(w.Id, "gateway-a", TimeSpan.FromMinutes(2)));

        // Once the lease lapses (the callback's instance died mid-payment) the reconciler takes it up.
        Time.Advance(TimeSpan.FromMinutes(3));
        var claimed = Assert.Single(await Store.ClaimDueAsync("gateway-b", TimeSpan.FromMinutes(2), 10, TimeSpan.Zero));
        Assert.Equal(w.Id, claimed.Id);
        Assert.Equal(WithdrawalState.Sending, claimed.State);
    }

    [Fact]
    public async Task It_moves_on_like_any_sent_withdrawal_settle_or_refund_exactly_once()
    {
        var card = await NewCardAsync(balanceSat: 1000);
        var paid = Assert.IsType<ReserveResult.Reserved>(
            await Store.ReserveSendingAsync(Request((await OfferAsync(card.Id, 1)).K1, 100, 5), Lease)).Withdrawal;
        var failed = Assert.IsType<ReserveResult.Reserved>(
            await Store.ReserveSendingAsync(Request((await OfferAsync(card.Id, 2)).K1, 200, 5), Lease)).Withdrawal;

        Assert.IsType<TransitionResult.Applied>(await Store.SettleAsync(paid.Id, Bytes32.Sha256([1]), Msat.FromSat(2), FeePayer.Card));
        Assert.IsType<TransitionResult.Applied>(await Store.FailAsync(failed.Id, FailureKind.NoRoute, "no route"));
        Assert.IsType<TransitionResult.WrongState>(await Store.FailAsync(paid.Id, FailureKind.NoRoute, "late"));
        Assert.IsType<TransitionResult.WrongState>(await Store.MarkSendingAsync(failed.Id, Start.AddMinutes(1), "gateway-a", Lease.LeaseFor));

        Assert.Equal(Msat.FromSat(1000 - 102), await BalanceAsync(card.Id));
        Assert.Equal(Msat.FromSat(100), await Store.GetDailyUsageAsync(card.Id, Start));
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task Refusals_are_the_same_as_reserve_and_leave_no_trace()
    {
        var card = await NewCardAsync(balanceSat: 100, perTapSat: 50, dailySat: 60);
        var session = await OfferAsync(card.Id, 3);

        AssertRejected(ReserveRejection.K1Unknown, await Store.ReserveSendingAsync(Request(RandomHex(16), 10), Lease));
        AssertRejected(ReserveRejection.LimitPerTap, await Store.ReserveSendingAsync(Request(session.K1, 51), Lease));
        AssertRejected(ReserveRejection.InsufficientFunds, await Store.ReserveSendingAsync(Request(session.K1, 50, feeReserveSat: 51), Lease));
        Assert.IsType<ReserveResult.Reserved>(await Store.ReserveSendingAsync(Request(session.K1, 40), Lease));
        AssertRejected(ReserveRejection.K1Used, await Store.ReserveSendingAsync(Request(session.K1, 10), Lease));
        AssertRejected(ReserveRejection.LimitDaily, await Store.ReserveSendingAsync(Request((await OfferAsync(card.Id, 4)).K1, 21), Lease));
        var hash = Bytes32.Sha256([7]);
        Assert.IsType<ReserveResult.Reserved>(await Store.ReserveSendingAsync(Request((await OfferAsync(card.Id, 5)).K1, 10, hash: hash), Lease));
        var reuse = await OfferAsync(card.Id, 6);
        AssertRejected(ReserveRejection.InvoiceAlreadyUsed, await Store.ReserveSendingAsync(Request(reuse.K1, 5, hash: hash), Lease));

        // The refused daily-limit and reused-invoice attempts consumed nothing: k1s unused, money where it was.
        Assert.False((await Store.GetSessionAsync(reuse.K1))!.IsConsumed);
        Assert.Equal(Msat.FromSat(50), await Store.GetDailyUsageAsync(card.Id, Start));
        Assert.Equal(Msat.FromSat(50), await BalanceAsync(card.Id));
        Assert.Equal(2, (await Store.ListWithdrawalsAsync(card.Id)).Count);
        Assert.Equal(5, (await Store.GetCardAsync(card.Id))!.Counter);
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task Concurrent_callbacks_on_one_card_never_overdraw_it()
    {
        var card = await NewCardAsync(balanceSat: 1000);
        var sessions = new List<string>();
        for (var i = 1; i <= 12; i++)
            sessions.Add((await OfferAsync(card.Id, i)).K1);

        var results = await Task.WhenAll(sessions.Select(k1 => Store.ReserveSendingAsync(Request(k1, 300), Lease)));

        // Counters only go up, so a lower tap committed after a higher one is a replay; at most 3 fit the balance.
        var reserved = results.OfType<ReserveResult.Reserved>().ToList();
        Assert.InRange(reserved.Count, 1, 3);
        Assert.All(results.OfType<ReserveResult.Rejected>(), r =>
            Assert.Contains(r.Reason, new[] { ReserveRejection.Replay, ReserveRejection.InsufficientFunds }));
        Assert.Equal(Msat.FromSat(1000 - 300 * reserved.Count), await BalanceAsync(card.Id));
        Assert.True((await BalanceAsync(card.Id)).Value >= 0);
        await AssertLedgerMatchesAsync();
    }

    private static void AssertRejected(ReserveRejection expected, ReserveResult actual) =>
        Assert.Equal(expected, Assert.IsType<ReserveResult.Rejected>(actual).Reason);
}

[Trait("Category", "Contract")]
public sealed class SqliteReserveSendingTests : ReserveSendingContractTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[Trait("Category", "Contract")]
public sealed class PostgresReserveSendingTests : ReserveSendingContractTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
