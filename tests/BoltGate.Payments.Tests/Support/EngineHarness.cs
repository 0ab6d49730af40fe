using System.Security.Cryptography;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Lightning.Simulated;
using BoltGate.Storage;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Sessions;
using BoltGate.Storage.Withdrawals;
using BoltGate.Testing.Databases;
using Microsoft.Extensions.Time.Testing;

namespace BoltGate.Payments.Tests.Support;

/// <summary>
/// One fresh database (SQLite or PostgreSQL), one backend (simulated node, LND fake or CLN fake) over a
/// simulated network, and an engine + reconciler, all on one <see cref="FakeTimeProvider"/>. Helpers
/// build a card with a balance and a reservation for a named payee, and move the fake clock in small
/// steps only while no payment is on its way to the backend (so a deadline never passes before the
/// backend has seen the payment).
/// </summary>
public abstract class EngineHarness : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    protected static readonly TimeSpan RealTimeout = TimeSpan.FromSeconds(40);
    protected const long BalanceSat = 10_000;
    protected const long FeeReserveMsat = 20_000;

    private readonly List<IAsyncDisposable> _cleanup = [];
    private long _counter;

    protected abstract StorageProvider Provider { get; }

    protected abstract Backend Backend { get; }

    protected FakeTimeProvider Time { get; } = new(Start);

    protected SimulatedNetwork Network { get; private set; } = null!;

    protected TestDatabase Database { get; private set; } = null!;

    protected BoltGateStore Store { get; private set; } = null!;

    protected RunningBackend Running { get; private set; } = null!;

    protected CountingNode Node { get; private set; } = null!;

    protected RouteMemory Routes { get; private set; } = null!;

    protected PaymentEngine Engine { get; private set; } = null!;

    protected Reconciler Reconciler { get; private set; } = null!;

    protected byte[] DataKey { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>Short windows so tests move little fake time: 30 s attempts, retries after 1 then 5 minutes, 3 attempts.</summary>
    protected virtual PaymentEngineOptions Options => new()
    {
        Deadlines = new DeadlinePolicy { SafetyMargin = TimeSpan.FromSeconds(30), Maximum = TimeSpan.FromSeconds(30), MinimumWindow = TimeSpan.FromSeconds(5) },
        GradedRetry = new GradedRetryStrategy
        {
            FastInterval = TimeSpan.FromMinutes(1),
            FastAttempts = 1,
            SlowInterval = TimeSpan.FromMinutes(5),
            MaxAttempts = 3,
            Deadlines = new DeadlinePolicy { SafetyMargin = TimeSpan.FromSeconds(30), Maximum = TimeSpan.FromSeconds(30), MinimumWindow = TimeSpan.FromSeconds(5) },
        },
        TrackFirstPoll = TimeSpan.FromSeconds(1),
        TrackMaxPoll = TimeSpan.FromSeconds(10),
        LeaseFor = TimeSpan.FromMinutes(1),
        FreshFor = TimeSpan.FromSeconds(5),
    };

    public async Task InitializeAsync()
    {
        Network = new SimulatedNetwork(BitcoinNetwork.Regtest, Time);
        Network.AddStandardPayees();
        // Held long past any attempt window, so "unknown at the deadline" is certain, then resolved.
        Network.AddPayee("held-settle", new PayeeBehavior.HeldInFlight(TimeSpan.FromMinutes(3), true, new Msat(2_000)));
        Network.AddPayee("held-fail", new PayeeBehavior.HeldInFlight(TimeSpan.FromMinutes(3), false, new Msat(2_000)));
        Database = await TestDatabase.CreateAsync(Provider);
        Store = await OpenStoreAsync();
        Running = await RunningBackend.StartAsync(Backend, Network, Time);
        Node = new CountingNode(Running.NewClient());
        Routes = new RouteMemory(Time, TimeSpan.FromMinutes(10));
        (Engine, Reconciler) = NewEngine("engine-a", Store, Node, Options);
    }

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_cleanup))
            await d.DisposeAsync();
        await Engine.DisposeAsync();
        Node.Dispose();
        await Running.DisposeAsync();
        await Store.DisposeAsync();
        await Database.DisposeAsync();
    }

    protected async Task<BoltGateStore> OpenStoreAsync() => await BoltGateStore.OpenAsync(
        new StorageOptions { Provider = Provider, ConnectionString = Database.ConnectionString, DataKey = DataKey }, Time);

    /// <summary>A second engine (another gateway instance) over its own store and client; disposed with the test.</summary>
    protected (PaymentEngine Engine, Reconciler Reconciler) NewEngine(string owner, BoltGateStore store, CountingNode node, PaymentEngineOptions options)
    {
        var engine = new PaymentEngine(store, node, Time, options, Routes, new PaymentMetrics(), owner: owner);
        if (Engine is not null)
            _cleanup.Add(engine);
        return (engine, new Reconciler(engine, store, Time));
    }

    protected void Later(IAsyncDisposable d) => _cleanup.Add(d);

    protected async Task<Card> NewCardAsync(long balanceSat = BalanceSat, long dailySat = 50_000)
    {
        var card = await Store.CreateCardAsync(new NewCard(
            Hex.Lower(RandomNumberGenerator.GetBytes(16)), "engine test", Hex.Lower(RandomNumberGenerator.GetBytes(7)), 1,
            CardKeySource.Deterministic, null, null, Msat.FromSat(dailySat)));
        Assert.NotNull(card);
        return (await Store.CreditAsync(card.Id, Msat.FromSat(balanceSat), "test top-up"))!;
    }

    /// <summary>Reserves <paramref name="sat"/> for an invoice of <paramref name="payee"/>, as the callback does.</summary>
    protected async Task<Withdrawal> ReserveAsync(string payee, Card? card = null, long sat = 1_000, long feeReserveMsat = FeeReserveMsat,
        TimeSpan? invoiceExpiry = null, DateTimeOffset? deadline = null)
    {
        card ??= await NewCardAsync();
        var fraction = Time.GetUtcNow().Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
            Time.Advance(TimeSpan.FromTicks(TimeSpan.TicksPerSecond - fraction)); // BOLT 11 timestamps are whole seconds
        var bolt11 = Network.CreatePayeeInvoice(payee, Msat.FromSat(sat), expiry: invoiceExpiry ?? TimeSpan.FromHours(1));
        var invoice = ((Bolt11DecodeResult.Ok)Bolt11Decoder.Decode(bolt11)).Invoice;
        var now = Time.GetUtcNow();
        var offer = await Store.OfferAsync(card.Id, Interlocked.Increment(ref _counter), TimeSpan.FromMinutes(5));
        var session = Assert.IsType<OfferResult.Offered>(offer).Session;
        var until = deadline ?? Options.Deadlines.DeadlineFor(invoice.ExpiresAt, now) ?? throw new InvalidOperationException("window too short");
        var reserved = await Store.ReserveAsync(new ReserveRequest(session.K1, bolt11, invoice.PaymentHash, Msat.FromSat(sat),
            new Msat(feeReserveMsat), until));
        return Assert.IsType<ReserveResult.Reserved>(reserved).Withdrawal;
    }

    protected static Bytes32 HashOf(Withdrawal w) => Bytes32.ParseHex(w.PaymentHashHex);

    protected async Task<Withdrawal> GetAsync(Withdrawal w) => (await Store.GetWithdrawalAsync(w.Id))!;

    protected async Task<Msat> BalanceAsync(string cardId) => (await Store.GetCardAsync(cardId))!.Balance;

    /// <summary>Ledger entries of kind <paramref name="kind"/> for this withdrawal.</summary>
    protected async Task<int> EntriesAsync(Withdrawal w, LedgerKind kind) =>
        (await Store.ListLedgerAsync(w.CardId)).Count(e => e.WithdrawalId == w.Id && e.Kind == kind);

    /// <summary>Refunded exactly once: one refund entry, the whole balance back, the day's limit free again, the ledger sums up.</summary>
    protected async Task AssertRefundedOnceAsync(Withdrawal w, Msat balanceBefore, FailureKind? kind = null)
    {
        var now = await GetAsync(w);
        Assert.Equal(WithdrawalState.Failed, now.State);
        if (kind is { } k)
            Assert.Equal(k.Code(), now.FailureCode);
        Assert.Equal(1, await EntriesAsync(w, LedgerKind.Refund));
        Assert.Equal(0, await EntriesAsync(w, LedgerKind.FeeRelease));
        Assert.Equal(balanceBefore, await BalanceAsync(w.CardId));
        Assert.Equal(Msat.Zero, await Store.GetDailyUsageAsync(w.CardId, w.ReservedAt));
        Assert.Empty(await Store.FindLedgerMismatchesAsync());
    }

    /// <summary>Still holding its reservation: nothing refunded or settled.</summary>
    protected async Task AssertStillReservedAsync(Withdrawal w, Msat balanceBefore)
    {
        var now = await GetAsync(w);
        Assert.False(now.State.IsFinal(), $"expected the withdrawal to stay reserved, it is {now.State}");
        Assert.Equal(0, await EntriesAsync(w, LedgerKind.Refund));
        Assert.Equal(balanceBefore - w.Reserved, await BalanceAsync(w.CardId));
        Assert.Empty(await Store.FindLedgerMismatchesAsync());
    }

    /// <summary>
    /// Moves the fake clock by <paramref name="step"/> at a time until <paramref name="done"/> holds, but
    /// only while no payment is on its way to the backend; fails after <paramref name="maxFake"/> of fake
    /// time or <see cref="RealTimeout"/> of real time.
    /// </summary>
    protected async Task PumpUntilAsync(Func<Task<bool>> done, TimeSpan step, TimeSpan maxFake)
    {
        var startedReal = DateTime.UtcNow;
        var moved = TimeSpan.Zero;
        while (!await done())
        {
            if (DateTime.UtcNow - startedReal > RealTimeout)
                throw new TimeoutException($"condition not met within {RealTimeout} real time ({moved} fake time moved)");
            if (moved >= maxFake)
                throw new TimeoutException($"condition not met within {maxFake} of fake time");
            await Task.Delay(15);
            if (Node.PayingNow.Any(h => Network.Find(h) is null))
                continue; // the backend has not seen a payment yet: let it arrive before time moves
            Time.Advance(step);
            moved += step;
        }
    }

    protected Task<T> PumpAsync<T>(Task<T> task, TimeSpan? step = null, TimeSpan? maxFake = null) =>
        PumpThenAsync(task, step ?? TimeSpan.FromMilliseconds(250), maxFake ?? TimeSpan.FromMinutes(2));

    private async Task<T> PumpThenAsync<T>(Task<T> task, TimeSpan step, TimeSpan maxFake)
    {
        await PumpUntilAsync(() => Task.FromResult(task.IsCompleted), step, maxFake);
        return await task;
    }

    protected Task PumpUntilStateAsync(Withdrawal w, WithdrawalState state, TimeSpan? step = null, TimeSpan? maxFake = null) =>
        PumpUntilAsync(async () => (await GetAsync(w)).State == state, step ?? TimeSpan.FromMilliseconds(250), maxFake ?? TimeSpan.FromMinutes(2));
}
