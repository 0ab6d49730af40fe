using BoltGate.Core.Payments;
using BoltGate.Payments.Tests.Support;
using BoltGate.Storage;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Payments.Tests;

/// <summary>
/// Short leases renewed by a live owner (issue 16, item 2): a dead instance's withdrawal is taken over
/// as soon as its lease lapses; a live instance keeps a payment the node holds for minutes across many
/// lease periods; and in neither case is the payment hash sent a second time.
/// </summary>
public abstract partial class EngineContract
{
    private PaymentEngineOptions ShortLeases => Options with { LeaseFor = TimeSpan.FromSeconds(10), LeaseRenewEvery = TimeSpan.FromSeconds(3) };

    [Fact(Timeout = 90_000)]
    public async Task A_dead_instances_lease_is_taken_over_once_it_lapses_and_the_payment_is_not_sent_again()
    {
        var (_, survivor) = NewEngine("survivor", Store, Node, ShortLeases);
        var w = await ReserveAsync("held-settle");
        // The dead instance had committed the intent, held a 10 s lease and reached the node; then it died.
        Assert.IsType<TransitionResult.Applied>(await Store.MarkSendingAsync(w.Id));
        Assert.True(await Store.TryLeaseAsync(w.Id, "dead-instance", TimeSpan.FromSeconds(10)));
        var leasedAt = Time.GetUtcNow();
        await PayThroughTheOldProcessAsync(w, waitForFinal: false);

        Time.Advance(leasedAt + TimeSpan.FromSeconds(9) - Time.GetUtcNow());
        Assert.Empty((await survivor.RunOnceAsync()).Claimed); // its lease is still live: hands off
        Time.Advance(TimeSpan.FromSeconds(1));
        var pass = await survivor.RunOnceAsync();
        Assert.Equal([w.Id], pass.Claimed.Select(c => c.Id));

        var done = await PumpAsync(pass.Drives.Single(), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(4));
        Assert.Equal(WithdrawalState.Succeeded, done.State);
        Assert.Equal(0, Node.PayCalls(HashOf(w))); // the node knew the payment: tracked, never sent again
        Assert.Equal(1, Network.PaymentsStarted);
        Assert.Equal(0, await EntriesAsync(w, LedgerKind.Refund));
        Assert.Empty(await Store.FindLedgerMismatchesAsync());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_live_instance_renews_its_lease_across_many_lease_periods_and_no_other_instance_takes_or_sends_it()
    {
        var (live, _) = NewEngine("live", Store, Node, ShortLeases);
        await using var storeB = await OpenStoreAsync();
        using var nodeB = new CountingNode(Running.NewClient());
        var (_, other) = NewEngine("other", storeB, nodeB, ShortLeases);
        var w = await ReserveAsync("held-settle"); // the node holds it 3 minutes: 18 lease periods
        var startedAt = Time.GetUtcNow();

        var drive = live.StartAsync(w.Id);
        var stolen = 0;
        await PumpUntilAsync(async () =>
        {
            stolen += (await other.RunOnceAsync()).Claimed.Count;
            return drive.IsCompleted;
        }, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(4));

        var done = await drive;
        Assert.True(done.State == WithdrawalState.Succeeded, $"{done.State} after {Time.GetUtcNow() - startedAt}, {stolen} taken by the other, {live.LeasesRenewed} renewals");
        Assert.True(Time.GetUtcNow() - startedAt > TimeSpan.FromMinutes(2), "the payment should have been held for minutes");
        Assert.Equal(0, stolen);
        Assert.True(live.LeasesRenewed >= 30, $"renewed only {live.LeasesRenewed} times");
        Assert.Equal(1, Node.PayCalls(HashOf(w)));
        Assert.Equal(0, nodeB.PayCalls(HashOf(w)));
        Assert.Equal(1, Network.PaymentsStarted);
        Assert.Empty(await Store.FindLedgerMismatchesAsync());
    }

    [Fact]
    public void Leases_must_outlast_two_renewals()
    {
        Assert.Null(ShortLeases.Validate());
        Assert.Contains("LeaseRenewEvery", (Options with { LeaseFor = TimeSpan.FromSeconds(5), LeaseRenewEvery = TimeSpan.FromSeconds(3) }).Validate());
        Assert.Contains("LeaseRenewEvery", (Options with { LeaseRenewEvery = TimeSpan.Zero }).Validate());
    }
}
