using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Lightning;
using BoltGate.Payments.Tests.Support;
using BoltGate.Storage;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Payments.Tests;

/// <summary>
/// What a restarted gateway finds in its database, state by state, and what the reconciler makes of it
/// after asking the node by payment hash. "A crash after X" is built by committing X through the store
/// (and, where the old process had reached the node, by paying through another client of the backend).
/// </summary>
public abstract partial class EngineContract
{
    [Fact(Timeout = 60_000)]
    public async Task Reconciler_leaves_a_fresh_reservation_to_its_callback()
    {
        var w = await ReserveAsync("alice");
        Assert.Empty((await Reconciler.RunOnceAsync()).Claimed);
        Assert.Equal(0, Node.TotalPayCalls);
        Assert.Equal(WithdrawalState.Reserved, (await GetAsync(w)).State);
    }

    [Fact(Timeout = 60_000)]
    public async Task Reconciler_sends_a_reservation_never_sent_before_its_deadline()
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync("alice", card);
        Time.Advance(Options.FreshFor + TimeSpan.FromSeconds(1));

        var done = await PumpAsync(SingleDrive(await Reconciler.RunOnceAsync(), w));

        Assert.Equal(WithdrawalState.Succeeded, done.State);
        Assert.Equal(1, Node.PayCalls(HashOf(w)));
        Assert.Empty(await Store.FindLedgerMismatchesAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task Reconciler_refunds_a_reservation_never_sent_once_its_deadline_passed_without_calling_the_node()
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync("alice", card);
        Time.Advance(TimeSpan.FromSeconds(31));

        await PumpAsync(SingleDrive(await Reconciler.RunOnceAsync(), w));

        await AssertRefundedOnceAsync(w, Msat.FromSat(BalanceSat), FailureKind.Timeout);
        Assert.Equal(0, Node.PayCalls(HashOf(w)));
        Assert.Null(Network.Find(HashOf(w)));
    }

    [Fact(Timeout = 60_000)]
    public async Task Reconciler_sends_again_when_the_intent_was_committed_but_the_node_never_saw_it()
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync("alice", card);
        Assert.IsType<TransitionResult.Applied>(await Store.MarkSendingAsync(w.Id)); // crash right after the commit
        Time.Advance(Options.FreshFor);

        var done = await PumpAsync(SingleDrive(await Reconciler.RunOnceAsync(), w));

        Assert.Equal(WithdrawalState.Succeeded, done.State);
        Assert.Equal(1, Node.PayCalls(HashOf(w)));
        Assert.Equal(0, await EntriesAsync(w, LedgerKind.Refund));
    }

    [Fact(Timeout = 60_000)]
    public async Task Reconciler_refunds_when_the_node_never_saw_the_payment_and_its_deadline_passed()
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync("alice", card);
        await Store.MarkSendingAsync(w.Id);
        Time.Advance(TimeSpan.FromSeconds(31));

        // Within the grace after the deadline a request still on its way could register late: not yet.
        var drive = SingleDrive(await Reconciler.RunOnceAsync(), w);
        await Task.Delay(200);
        Assert.False(drive.IsCompleted);
        await AssertStillReservedAsync(w, Msat.FromSat(BalanceSat));

        await PumpAsync(drive);

        await AssertRefundedOnceAsync(w, Msat.FromSat(BalanceSat), FailureKind.Timeout);
        Assert.Equal(0, Node.PayCalls(HashOf(w)));
    }

    [Fact(Timeout = 60_000)]
    public async Task Reconciler_settles_what_the_node_paid_before_the_crash_without_paying_again()
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync("alice", card);
        await Store.MarkSendingAsync(w.Id);
        await PayThroughTheOldProcessAsync(w, waitForFinal: true);

        var done = await PumpAsync(SingleDrive(await Reconciler.RunOnceAsync(), w));

        Assert.Equal(WithdrawalState.Succeeded, done.State);
        Assert.Equal(new Msat(1_000), done.Fee);
        Assert.Equal(0, Node.PayCalls(HashOf(w)));
        Assert.Equal(1, Network.PaymentsStarted);
        Assert.Equal(Msat.FromSat(BalanceSat) - Msat.FromSat(1_000) - new Msat(1_000), await BalanceAsync(card.Id));
    }

    [Fact(Timeout = 60_000)]
    public async Task Reconciler_refunds_what_the_node_failed_before_the_crash()
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync("rejects", card);
        await Store.MarkSendingAsync(w.Id);
        await PayThroughTheOldProcessAsync(w, waitForFinal: true);

        await PumpAsync(SingleDrive(await Reconciler.RunOnceAsync(), w));

        await AssertRefundedOnceAsync(w, Msat.FromSat(BalanceSat), ExpressedByLookup(FailureKind.IncorrectPaymentDetails));
        Assert.Equal(0, Node.PayCalls(HashOf(w)));
    }

    [Fact(Timeout = 60_000)]
    public async Task Reconciler_tracks_an_in_flight_payment_and_settles_it_when_the_node_does()
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync("held-settle", card);
        await Store.MarkSendingAsync(w.Id);
        await PayThroughTheOldProcessAsync(w, waitForFinal: false);
        await Store.MarkInFlightAsync(w.Id, "old process: deadline reached");
        Time.Advance(TimeSpan.FromSeconds(40)); // past the deadline; the HTLC is still out

        var drive = SingleDrive(await Reconciler.RunOnceAsync(), w);
        await PumpUntilAsync(() => Task.FromResult(Time.GetUtcNow() > Start.AddSeconds(100)), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        Assert.False(drive.IsCompleted);
        await AssertStillReservedAsync(w, Msat.FromSat(BalanceSat));

        var done = await PumpAsync(drive, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Assert.Equal(WithdrawalState.Succeeded, done.State);
        Assert.Equal(0, Node.PayCalls(HashOf(w)));
        Assert.Equal(0, await EntriesAsync(w, LedgerKind.Refund));
    }

    [Fact(Timeout = 60_000)]
    public async Task Reconciler_asks_again_while_the_node_cannot_be_reached_and_never_refunds_meanwhile()
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync("alice", card);
        await Store.MarkSendingAsync(w.Id);
        await PayThroughTheOldProcessAsync(w, waitForFinal: true);
        Node.TrackScript = _ => new PaymentLookup.Unavailable("scripted: connection refused");
        Time.Advance(TimeSpan.FromSeconds(40)); // even past the deadline, "unreachable" is not "never saw it"

        var drive = SingleDrive(await Reconciler.RunOnceAsync(), w);
        await PumpUntilAsync(() => Task.FromResult(Time.GetUtcNow() > Start.AddMinutes(3)), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Assert.False(drive.IsCompleted);
        await AssertStillReservedAsync(w, Msat.FromSat(BalanceSat));
        Assert.Equal(WithdrawalState.Sending, (await GetAsync(w)).State);

        Node.TrackScript = null;
        var done = await PumpAsync(drive, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        Assert.Equal(WithdrawalState.Succeeded, done.State);
        Assert.Equal(0, Node.PayCalls(HashOf(w)));
    }

    [Fact(Timeout = 90_000)]
    public async Task Two_instances_on_one_database_never_pay_a_withdrawal_twice()
    {
        await using var storeB = await OpenStoreAsync();
        using var nodeB = new CountingNode(Running.NewClient());
        var (engineB, reconcilerB) = NewEngine("engine-b", storeB, nodeB, Options);
        var withdrawals = new List<Withdrawal>();
        for (var i = 0; i < 12; i++)
            withdrawals.Add(await ReserveAsync(i % 3 == 0 ? "rejects" : "alice"));
        Time.Advance(Options.FreshFor + TimeSpan.FromSeconds(1));

        // Both instances' reconcilers and both engines go for every row at once.
        var passes = await Task.WhenAll(Reconciler.RunOnceAsync(), reconcilerB.RunOnceAsync());
        var drives = passes.SelectMany(p => p.Drives)
            .Concat(withdrawals.Select(w => Engine.StartAsync(w.Id)))
            .Concat(withdrawals.Select(w => engineB.StartAsync(w.Id)))
            .ToList();
        Assert.Equal(12, passes.Sum(p => p.Claimed.Count));
        Assert.Empty(passes[0].Claimed.Select(c => c.Id).Intersect(passes[1].Claimed.Select(c => c.Id)));
        await PumpAsync(Task.WhenAll(drives), TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(2));

        foreach (var w in withdrawals)
        {
            Assert.Equal(1, Node.PayCalls(HashOf(w)) + nodeB.PayCalls(HashOf(w)));
            var final = await GetAsync(w);
            Assert.True(final.State.IsFinal());
            Assert.Equal(final.State == WithdrawalState.Failed ? 1 : 0, await EntriesAsync(w, LedgerKind.Refund));
        }
        Assert.Equal(12, Network.PaymentsStarted);
        Assert.Empty(await Store.FindLedgerMismatchesAsync());
    }

    /// <summary>The crashed process had reached the node: pay through another client of the same backend.</summary>
    private async Task PayThroughTheOldProcessAsync(Withdrawal w, bool waitForFinal)
    {
        var old = Running.NewClient();
        var pay = old.PayAsync(new PayRequest(w.Bolt11, HashOf(w), w.Amount, w.FeeReserve, w.Deadline), null, CancellationToken.None);
        await PumpUntilAsync(() => Task.FromResult(Network.Find(HashOf(w)) is { } p && (!waitForFinal || p.IsFinal)),
            TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(20));
        if (waitForFinal)
        {
            await pay.WaitAsync(RealTimeout);
            old.Dispose();
        }
        else
        {
            Later(new DisposeAfter(pay, old));
        }
    }

    private sealed class DisposeAfter(Task pay, IDisposable client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            try
            {
                await pay.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception)
            {
                // the old process's call ends with the client; its outcome no longer matters
            }
        }
    }
}
