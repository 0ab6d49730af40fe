using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Payments.Tests.Support;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Payments.Tests;

/// <summary>
/// The engine's behaviour, run against every backend (simulated node, LND fake, CLN fake) on every
/// database (SQLite, PostgreSQL); see <c>EngineContract.Implementations.cs</c> for the concrete classes.
/// </summary>
public abstract partial class EngineContract : EngineHarness
{
    /// <summary>The kind this backend's wire reports for a failure the network produced (lnd has no fee-limit reason).</summary>
    protected FailureKind Expressed(FailureKind kind) =>
        Backend == Backend.LndRest && kind == FailureKind.FeeLimitExceeded ? FailureKind.NoRoute : kind;

    /// <summary>The kind a look-up by hash reports: Core Lightning's listpays keeps no failure reason.</summary>
    protected FailureKind ExpressedByLookup(FailureKind kind) =>
        Backend == Backend.CoreLightning ? FailureKind.Unknown : Expressed(kind);

    [Fact(Timeout = 60_000)]
    public async Task Success_settles_charges_the_actual_fee_and_releases_the_rest_of_the_reserve()
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync("alice", card);

        var done = await PumpAsync(Engine.StartAsync(w.Id));

        Assert.Equal(WithdrawalState.Succeeded, done.State);
        Assert.Equal(new Msat(1_000), done.Fee);
        Assert.Equal(HashOf(w), Bytes32.Sha256(Bytes32.ParseHex(done.PreimageHex!).Span));
        Assert.Equal(Msat.FromSat(BalanceSat) - Msat.FromSat(1_000) - new Msat(1_000), await BalanceAsync(card.Id));
        Assert.Equal(1, await EntriesAsync(w, LedgerKind.FeeRelease));
        Assert.Equal(0, await EntriesAsync(w, LedgerKind.Refund));
        Assert.Equal(Msat.FromSat(1_000), await Store.GetDailyUsageAsync(card.Id, w.ReservedAt));
        Assert.Equal(1, Node.PayCalls(HashOf(w)));
        Assert.Empty(await Store.FindLedgerMismatchesAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task Operator_paying_the_fee_leaves_the_card_charged_the_amount_only()
    {
        var (engine, _) = NewEngine("operator-pays", Store, Node, Options with { FeePayer = FeePayer.Operator });
        var card = await NewCardAsync();
        var w = await ReserveAsync("alice", card);

        var done = await PumpAsync(engine.StartAsync(w.Id));

        Assert.Equal(WithdrawalState.Succeeded, done.State);
        Assert.Equal(new Msat(1_000), done.Fee); // recorded as what the node spent
        Assert.Equal(Msat.FromSat(BalanceSat) - Msat.FromSat(1_000), await BalanceAsync(card.Id));
        Assert.Empty(await Store.FindLedgerMismatchesAsync());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("noroute", FailureKind.NoRoute)]
    [InlineData("broke", FailureKind.InsufficientLiquidity)]
    [InlineData("rejects", FailureKind.IncorrectPaymentDetails)]
    [InlineData("retrying", FailureKind.Timeout)]
    public async Task A_definitive_failure_from_the_network_refunds_exactly_once(string payee, FailureKind kind)
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync(payee, card);

        var done = await PumpAsync(Engine.StartAsync(w.Id));

        Assert.Equal(WithdrawalState.Failed, done.State);
        Assert.False(string.IsNullOrWhiteSpace(done.NodeMessage));
        await AssertRefundedOnceAsync(w, Msat.FromSat(BalanceSat), Expressed(kind));
        await AssertNothingMoreHappensAsync(w, Msat.FromSat(BalanceSat));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_fee_above_the_reserve_is_refused_and_refunded()
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync("alice", card, feeReserveMsat: 999); // alice's route costs 1000 msat

        await PumpAsync(Engine.StartAsync(w.Id));

        await AssertRefundedOnceAsync(w, Msat.FromSat(BalanceSat), Expressed(FailureKind.FeeLimitExceeded));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_invoice_that_expired_before_sending_is_refunded()
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync("alice", card, invoiceExpiry: TimeSpan.FromSeconds(40), deadline: Time.GetUtcNow().AddMinutes(2));
        Time.Advance(TimeSpan.FromSeconds(45));

        await PumpAsync(Engine.StartAsync(w.Id));

        await AssertRefundedOnceAsync(w, Msat.FromSat(BalanceSat), FailureKind.InvoiceExpired);
    }

    /// <summary>Every kind a node can report (some no backend produces on demand, so the node is scripted) refunds once under FastFail.</summary>
    [Theory(Timeout = 60_000)]
    [MemberData(nameof(AllFailureKinds))]
    public async Task Every_failure_kind_refunds_exactly_once_with_its_code(FailureKind kind)
    {
        Node.PayScript = _ => new PaymentOutcome.Failed(kind, "scripted: " + kind.Code());
        var card = await NewCardAsync();
        var w = await ReserveAsync("alice", card);

        var done = await PumpAsync(Engine.StartAsync(w.Id));

        Assert.Equal("scripted: " + kind.Code(), done.NodeMessage);
        await AssertRefundedOnceAsync(w, Msat.FromSat(BalanceSat), kind);
        await AssertNothingMoreHappensAsync(w, Msat.FromSat(BalanceSat));
    }

    public static TheoryData<FailureKind> AllFailureKinds()
    {
        var data = new TheoryData<FailureKind>();
        foreach (var kind in Enum.GetValues<FailureKind>())
            data.Add(kind);
        return data;
    }

    [Fact(Timeout = 60_000)]
    public async Task Unknown_at_the_deadline_stays_reserved_and_settles_when_the_node_settles()
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync("held-settle", card);
        var drive = Engine.StartAsync(w.Id);

        await PumpUntilStateAsync(w, WithdrawalState.InFlight, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(1));
        Assert.True(Time.GetUtcNow() >= (await GetAsync(w)).Deadline, "in flight only once the deadline cut the wait off");
        await AssertStillReservedAsync(w, Msat.FromSat(BalanceSat));
        Assert.Empty((await Reconciler.RunOnceAsync()).Claimed); // the engine holds it

        var done = await PumpAsync(drive, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

        Assert.Equal(WithdrawalState.Succeeded, done.State);
        Assert.Equal(new Msat(2_000), done.Fee);
        Assert.Equal(0, await EntriesAsync(w, LedgerKind.Refund));
        Assert.Equal(1, Node.PayCalls(HashOf(w)));
        Assert.Empty(await Store.FindLedgerMismatchesAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task Unknown_at_the_deadline_stays_reserved_and_is_refunded_when_the_node_fails_it()
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync("held-fail", card);
        var drive = Engine.StartAsync(w.Id);

        await PumpUntilStateAsync(w, WithdrawalState.InFlight, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(1));
        await AssertStillReservedAsync(w, Msat.FromSat(BalanceSat));

        var done = await PumpAsync(drive, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

        Assert.Equal(WithdrawalState.Failed, done.State);
        await AssertRefundedOnceAsync(w, Msat.FromSat(BalanceSat));
        await AssertNothingMoreHappensAsync(w, Msat.FromSat(BalanceSat));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_settlement_after_the_deadline_is_recorded_promptly_streamed_from_lnd_polled_elsewhere()
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync("held-settle", card);
        var drive = Engine.StartAsync(w.Id);
        await PumpUntilStateAsync(w, WithdrawalState.InFlight, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(1));

        DateTimeOffset? nodeSettled = null;
        await PumpUntilAsync(async () =>
        {
            if (nodeSettled is null && Network.Find(HashOf(w)) is { IsFinal: true })
                nodeSettled = Time.GetUtcNow();
            return (await GetAsync(w)).State == WithdrawalState.Succeeded;
        }, TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(5));
        await drive;

        var lag = Time.GetUtcNow() - nodeSettled!.Value;
        if (Backend == Backend.LndRest)
        {
            Assert.True(Node.Follows > 0, "the engine should follow lnd's track stream");
            Assert.True(lag <= TimeSpan.FromSeconds(1), $"recorded {lag} after lnd settled it");
        }
        else
        {
            Assert.Equal(0, Node.Follows);
            Assert.True(lag <= Options.TrackMaxPoll + TimeSpan.FromSeconds(1), $"recorded {lag} after the node settled it");
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_payment_the_node_never_resolves_is_never_refunded_until_it_does()
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync("blackhole", card);
        var drive = Engine.StartAsync(w.Id);

        await PumpUntilStateAsync(w, WithdrawalState.InFlight, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(1));
        for (var i = 0; i < 40; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(30)); // 20 minutes of the node saying "may still settle"
            await Task.Delay(10);
        }
        Assert.False(drive.IsCompleted);
        await AssertStillReservedAsync(w, Msat.FromSat(BalanceSat));
        Assert.Equal(WithdrawalState.InFlight, (await GetAsync(w)).State);

        Network.Resolve(HashOf(w), settle: false);
        await PumpAsync(drive, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));

        await AssertRefundedOnceAsync(w, Msat.FromSat(BalanceSat));
        Assert.Equal(1, Node.PayCalls(HashOf(w)));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_callback_gets_ok_error_with_code_or_pending_within_its_budget()
    {
        var budget = TimeSpan.FromSeconds(5);
        var paid = await PumpAsync(Engine.PayAsync(await ReserveAsync("alice"), budget));
        Assert.IsType<PaymentAnswer.Succeeded>(paid);

        var card = await NewCardAsync();
        var failing = await ReserveAsync("noroute", card);
        var failed = Assert.IsType<PaymentAnswer.Failed>(await PumpAsync(Engine.PayAsync(failing, budget)));
        Assert.Equal("NO_ROUTE", failed.Code);
        Assert.Contains("your card was not charged", failed.Message, StringComparison.Ordinal);
        Assert.Equal(Msat.FromSat(BalanceSat), await BalanceAsync(card.Id)); // refund committed before the answer

        var hanging = await ReserveAsync("blackhole", card);
        var started = Time.GetUtcNow();
        var pending = Assert.IsType<PaymentAnswer.Pending>(await PumpAsync(Engine.PayAsync(hanging, budget)));
        Assert.InRange(Time.GetUtcNow() - started, budget, budget + TimeSpan.FromSeconds(1));
        Assert.Contains("pending", pending.Reason, StringComparison.Ordinal);
        await AssertStillReservedAsync(hanging, Msat.FromSat(BalanceSat));
    }

    /// <summary>After a final state, neither the engine nor the reconciler may move money again.</summary>
    private async Task AssertNothingMoreHappensAsync(Withdrawal w, Msat balanceBefore)
    {
        var calls = Node.PayCalls(HashOf(w));
        var again = await PumpAsync(Engine.StartAsync(w.Id));
        Assert.True(again.State.IsFinal());
        Time.Advance(TimeSpan.FromMinutes(10));
        var pass = await Reconciler.RunOnceAsync();
        Assert.DoesNotContain(pass.Claimed, c => c.Id == w.Id);
        Assert.Equal(WithdrawalState.Failed, (await Store.FailAsync(w.Id, FailureKind.Unknown, "second refund attempt")) switch
        {
            TransitionResult.WrongState wrong => wrong.Current,
            var other => throw new Xunit.Sdk.XunitException("a second refund applied: " + other),
        });
        Assert.Equal(1, await EntriesAsync(w, LedgerKind.Refund));
        Assert.Equal(balanceBefore, await BalanceAsync(w.CardId));
        Assert.Equal(calls, Node.PayCalls(HashOf(w)));
    }
}
