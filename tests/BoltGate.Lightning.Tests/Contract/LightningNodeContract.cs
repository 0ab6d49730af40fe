using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Lightning.Simulated;
using Microsoft.Extensions.Time.Testing;

namespace BoltGate.Lightning.Tests.Contract;

/// <summary>
/// One behaviour contract for every <see cref="ILightningNode"/>: the simulated node, the LND REST
/// client against its fake and the Core Lightning client against its fake (xpay and classic pay).
/// Each backend plays the same <see cref="SimulatedNetwork.StandardPayees"/>; time is a
/// <see cref="FakeTimeProvider"/> shared by client and backend, advanced once the backend has seen
/// the payment. Every test carries a real-time timeout.
/// </summary>
public abstract class LightningNodeContract : IAsyncLifetime
{
    protected static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RealTimeout = TimeSpan.FromSeconds(20);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    protected SimulatedNetwork Network { get; private set; } = null!;

    protected ILightningNode Node { get; private set; } = null!;

    private RunningBackend _backend = null!;

    /// <summary>The backend under test, started over <see cref="Network"/>.</summary>
    protected abstract Backend Backend { get; }

    /// <summary>The Core Lightning version the fake plays (its pay command and error codes differ).</summary>
    protected virtual string CoreLightningVersion => RunningBackend.CurrentCoreLightning;

    /// <summary>A new client instance over the same backend (what our process sees after a restart).</summary>
    protected ILightningNode NewClient() => _backend.NewClient();

    /// <summary>The kind this backend reports for a failure the network produced (some wires are coarser).</summary>
    protected virtual FailureKind Expressed(FailureKind kind) => kind;

    public async Task InitializeAsync()
    {
        Network = new SimulatedNetwork(Core.Bitcoin.BitcoinNetwork.Regtest, Time);
        Network.AddStandardPayees();
        _backend = await RunningBackend.StartAsync(Backend, Network, Time, CoreLightningVersion);
        Node = NewClient();
    }

    public async Task DisposeAsync()
    {
        Node.Dispose();
        await _backend.DisposeAsync();
    }

    protected PayRequest Request(string payee, long sat = 1_000, long maxFeeMsat = 10_000, TimeSpan? budget = null, string? bolt11 = null)
    {
        bolt11 ??= Network.CreatePayeeInvoice(payee, Msat.FromSat(sat));
        var hash = ((Core.Bolt11.Bolt11DecodeResult.Ok)Core.Bolt11.Bolt11Decoder.Decode(bolt11)).Invoice.PaymentHash;
        return new PayRequest(bolt11, hash, Msat.FromSat(sat), new Msat(maxFeeMsat), Time.GetUtcNow() + (budget ?? Budget));
    }

    /// <summary>Pays, waits until the backend holds the payment, then moves the clock by each step.</summary>
    protected async Task<PaymentOutcome> PayDrivenAsync(PayRequest request, List<PaymentProgress>? progress, params TimeSpan[] steps)
    {
        var reporter = progress is null ? null : new SyncProgress(progress);
        var pay = Node.PayAsync(request, reporter, CancellationToken.None);
        foreach (var step in steps)
        {
            await WaitUntilAsync(() => Network.Find(request.PaymentHash) is not null || pay.IsCompleted);
            await Task.Delay(50); // let the client settle into its read before the clock jumps
            Time.Advance(step);
        }
        return await pay.WaitAsync(RealTimeout);
    }

    protected static async Task WaitUntilAsync(Func<bool> condition)
    {
        var started = DateTime.UtcNow;
        while (!condition())
        {
            if (DateTime.UtcNow - started > RealTimeout)
                throw new TimeoutException("condition not met in time");
            await Task.Delay(10);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task GetInfo_reports_network_and_identity()
    {
        var info = await Node.GetInfoAsync(CancellationToken.None);
        Assert.Equal(Core.Bitcoin.BitcoinNetwork.Regtest, info.Network);
        Assert.Equal(Network.NodePubKeyHex, info.PubKey);
        Assert.True(info.Synced);
    }

    [Fact(Timeout = 30_000)]
    public async Task Success_returns_the_payees_preimage_and_the_fee()
    {
        var request = Request("alice");
        var progress = new List<PaymentProgress>();
        var outcome = await PayDrivenAsync(request, progress, TimeSpan.FromMilliseconds(300));
        var ok = Assert.IsType<PaymentOutcome.Succeeded>(outcome);
        Assert.Equal(request.PaymentHash, Bytes32.Sha256(ok.Preimage.Span));
        Assert.Equal(new Msat(1_000), ok.Fee);
        Assert.Contains(progress, p => p.Stage == PaymentStage.Accepted);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("noroute", FailureKind.NoRoute)]
    [InlineData("broke", FailureKind.InsufficientLiquidity)]
    public async Task Failure_before_anything_is_sent_is_definitive(string payee, FailureKind kind)
    {
        var outcome = await PayDrivenAsync(Request(payee), null);
        var failed = Assert.IsType<PaymentOutcome.Failed>(outcome);
        Assert.Equal(Expressed(kind), failed.Kind);
        Assert.False(string.IsNullOrWhiteSpace(failed.NodeMessage));
    }

    [Fact(Timeout = 30_000)]
    public async Task Payee_rejecting_the_htlc_is_incorrect_payment_details()
    {
        var outcome = await PayDrivenAsync(Request("rejects"), null, TimeSpan.FromMilliseconds(300));
        Assert.Equal(Expressed(FailureKind.IncorrectPaymentDetails), Assert.IsType<PaymentOutcome.Failed>(outcome).Kind);
    }

    [Fact(Timeout = 30_000)]
    public async Task Node_giving_up_with_nothing_in_flight_is_a_timeout_failure()
    {
        // The node's own deadline is our deadline minus the margin (28 s of 30 s).
        var outcome = await PayDrivenAsync(Request("retrying"), null, TimeSpan.FromSeconds(28));
        Assert.Equal(Expressed(FailureKind.Timeout), Assert.IsType<PaymentOutcome.Failed>(outcome).Kind);
    }

    [Fact(Timeout = 30_000)]
    public async Task Fee_above_the_cap_is_refused()
    {
        var outcome = await PayDrivenAsync(Request("alice", maxFeeMsat: 999), null);
        Assert.Equal(Expressed(FailureKind.FeeLimitExceeded), Assert.IsType<PaymentOutcome.Failed>(outcome).Kind);
    }

    [Fact(Timeout = 30_000)]
    public async Task Expired_invoice_is_refused_without_sending()
    {
        var bolt11 = Network.CreatePayeeInvoice("alice", Msat.FromSat(1_000), expiry: TimeSpan.FromSeconds(10));
        Time.Advance(TimeSpan.FromSeconds(11));
        var outcome = await PayDrivenAsync(Request("alice", bolt11: bolt11), null);
        Assert.Equal(FailureKind.InvoiceExpired, Assert.IsType<PaymentOutcome.Failed>(outcome).Kind);
        Assert.IsType<PaymentLookup.NotFound>(await Node.TrackAsync(Request("alice", bolt11: bolt11).PaymentHash, CancellationToken.None));
    }

    [Fact(Timeout = 30_000)]
    public async Task Htlc_held_past_the_deadline_is_unknown_then_settles()
    {
        var request = Request("slow-settle");
        var outcome = await PayDrivenAsync(request, null, TimeSpan.FromSeconds(28), TimeSpan.FromSeconds(2));
        Assert.IsType<PaymentOutcome.Unknown>(outcome);
        Assert.IsType<PaymentOutcome.Unknown>(Assert.IsType<PaymentLookup.Found>(await Node.TrackAsync(request.PaymentHash, CancellationToken.None)).Outcome);

        Time.Advance(TimeSpan.FromSeconds(30)); // the HTLC settles at 60 s
        var found = Assert.IsType<PaymentLookup.Found>(await Node.TrackAsync(request.PaymentHash, CancellationToken.None));
        var ok = Assert.IsType<PaymentOutcome.Succeeded>(found.Outcome);
        Assert.Equal(request.PaymentHash, Bytes32.Sha256(ok.Preimage.Span));
    }

    [Fact(Timeout = 30_000)]
    public async Task Htlc_held_past_the_deadline_is_unknown_then_fails()
    {
        var request = Request("slow-fail");
        var outcome = await PayDrivenAsync(request, null, TimeSpan.FromSeconds(30));
        Assert.IsType<PaymentOutcome.Unknown>(outcome);

        Time.Advance(TimeSpan.FromSeconds(30));
        var found = Assert.IsType<PaymentLookup.Found>(await Node.TrackAsync(request.PaymentHash, CancellationToken.None));
        Assert.IsType<PaymentOutcome.Failed>(found.Outcome);
    }

    [Fact(Timeout = 30_000)]
    public async Task Hanging_payment_ends_as_unknown_at_our_deadline_never_failed()
    {
        var request = Request("blackhole");
        var progress = new List<PaymentProgress>();
        var outcome = await PayDrivenAsync(request, progress, TimeSpan.FromSeconds(28), TimeSpan.FromSeconds(2));
        Assert.IsType<PaymentOutcome.Unknown>(outcome);
        lock (progress)
            Assert.Contains(progress, p => p.Stage == PaymentStage.DeadlineReached);
        Assert.IsType<PaymentOutcome.Unknown>(Assert.IsType<PaymentLookup.Found>(await Node.TrackAsync(request.PaymentHash, CancellationToken.None)).Outcome);
    }

    [Fact(Timeout = 30_000)]
    public async Task One_part_failed_while_another_is_pending_is_unknown()
    {
        var request = Request("split");
        var outcome = await PayDrivenAsync(request, null, TimeSpan.FromSeconds(30));
        Assert.IsType<PaymentOutcome.Unknown>(outcome);
        Time.Advance(TimeSpan.FromSeconds(30));
        var found = Assert.IsType<PaymentLookup.Found>(await Node.TrackAsync(request.PaymentHash, CancellationToken.None));
        Assert.IsType<PaymentOutcome.Succeeded>(found.Outcome);
    }

    [Fact(Timeout = 30_000)]
    public async Task Track_after_restart_sees_the_final_outcome()
    {
        var request = Request("alice");
        var first = Assert.IsType<PaymentOutcome.Succeeded>(await PayDrivenAsync(request, null, TimeSpan.FromMilliseconds(300)));
        using var restarted = NewClient();
        var found = Assert.IsType<PaymentLookup.Found>(await restarted.TrackAsync(request.PaymentHash, CancellationToken.None));
        Assert.Equal(first.Preimage, Assert.IsType<PaymentOutcome.Succeeded>(found.Outcome).Preimage);
    }

    [Fact(Timeout = 30_000)]
    public async Task Track_of_a_hash_the_node_never_saw_is_not_found()
    {
        var lookup = await Node.TrackAsync(Bytes32.Sha256([1, 2, 3]), CancellationToken.None);
        Assert.IsType<PaymentLookup.NotFound>(lookup);
    }

    [Fact(Timeout = 30_000)]
    public async Task Paying_a_paid_hash_again_returns_the_earlier_success_without_paying_twice()
    {
        var request = Request("alice");
        var first = Assert.IsType<PaymentOutcome.Succeeded>(await PayDrivenAsync(request, null, TimeSpan.FromMilliseconds(300)));
        var again = await Node.PayAsync(request with { Deadline = Time.GetUtcNow() + Budget }, null, CancellationToken.None).WaitAsync(RealTimeout);
        Assert.Equal(first.Preimage, Assert.IsType<PaymentOutcome.Succeeded>(again).Preimage);
        Assert.Equal(1, Network.PaymentsStarted);
    }

    [Fact(Timeout = 30_000)]
    public async Task Paying_a_hash_in_flight_again_is_unknown()
    {
        var request = Request("blackhole");
        Assert.IsType<PaymentOutcome.Unknown>(await PayDrivenAsync(request, null, TimeSpan.FromSeconds(30)));
        // Some nodes refuse at once, classic pay latches on to the pending attempt until our deadline.
        var again = Node.PayAsync(request with { Deadline = Time.GetUtcNow() + Budget }, null, CancellationToken.None);
        await Task.Delay(100);
        Time.Advance(Budget);
        Assert.IsType<PaymentOutcome.Unknown>(await again.WaitAsync(RealTimeout));
        Assert.Equal(1, Network.PaymentsStarted);
    }

    [Fact(Timeout = 30_000)]
    public async Task Deadline_already_passed_sends_nothing()
    {
        var request = Request("alice", budget: TimeSpan.FromMilliseconds(500));
        var outcome = await Node.PayAsync(request, null, CancellationToken.None);
        Assert.Equal(FailureKind.Timeout, Assert.IsType<PaymentOutcome.Failed>(outcome).Kind);
        Assert.Null(Network.Find(request.PaymentHash));
    }

    [Fact(Timeout = 30_000)]
    public async Task Probe_finds_a_route_with_its_fee_or_none()
    {
        var found = Assert.IsType<RouteProbe.Found>(await Node.ProbeRouteAsync(Network.PayeePubKeyHex("alice"), Msat.FromSat(1_000), CancellationToken.None));
        Assert.Equal(new Msat(1_000), found.Fee);
        Assert.True(found.Hops >= 1);
        Assert.IsType<RouteProbe.NoRoute>(await Node.ProbeRouteAsync(Network.PayeePubKeyHex("noroute"), Msat.FromSat(1_000), CancellationToken.None));
    }

    [Fact(Timeout = 30_000)]
    public async Task Created_invoice_is_reported_paid_when_paid()
    {
        var invoice = await Node.CreateInvoiceAsync(Msat.FromSat(5_000), "top-up", TimeSpan.FromHours(1), CancellationToken.None);
        var decoded = Assert.IsType<Core.Bolt11.Bolt11DecodeResult.Ok>(Core.Bolt11.Bolt11Decoder.Decode(invoice.Bolt11)).Invoice;
        Assert.Equal(invoice.PaymentHash, decoded.PaymentHash);
        Assert.Equal(Msat.FromSat(5_000), decoded.Amount);
        Assert.Equal(Network.NodePubKeyHex, decoded.PayeeHex);

        var wait = Node.WaitInvoiceAsync(invoice.PaymentHash, CancellationToken.None);
        await Task.Delay(100);
        Assert.False(wait.IsCompleted);
        Assert.True(Network.ReceivePayment(invoice.PaymentHash, Msat.FromSat(5_000)));
        var status = await wait.WaitAsync(RealTimeout);
        Assert.Equal(InvoiceState.Paid, status.State);
        Assert.Equal(Msat.FromSat(5_000), status.AmountReceived);
    }

    [Fact(Timeout = 30_000)]
    public async Task Created_invoice_is_reported_expired_when_it_expires()
    {
        var invoice = await Node.CreateInvoiceAsync(Msat.FromSat(5_000), "top-up", TimeSpan.FromMinutes(1), CancellationToken.None);
        var wait = Node.WaitInvoiceAsync(invoice.PaymentHash, CancellationToken.None);
        await Task.Delay(100);
        Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(InvoiceState.Expired, (await wait.WaitAsync(RealTimeout)).State);
    }

    [Fact(Timeout = 30_000)]
    public async Task Liquidity_is_summed_over_the_active_channels_only()
    {
        // The standard channels: 1,000,000 + 500,000 sat we can send, 250,000 + 750,000 sat we can receive, and an offline one.
        var standard = Assert.IsType<NodeLiquidity.Known>(await Node.GetLiquidityAsync(CancellationToken.None));
        Assert.Equal(new NodeLiquidity.Known(Msat.FromSat(1_500_000), Msat.FromSat(1_000_000), 2), standard);

        // A peer going offline takes its channel out of what can be used; a new channel adds to both sides.
        Network.SetChannelActive(Network.Channels[0].ShortChannelId, false);
        Network.OpenChannel("split", Msat.FromSat(321_000), Msat.FromSat(45_000));
        var after = Assert.IsType<NodeLiquidity.Known>(await Node.GetLiquidityAsync(CancellationToken.None));
        Assert.Equal(new NodeLiquidity.Known(Msat.FromSat(821_000), Msat.FromSat(795_000), 2), after);
    }

    /// <summary>Progress recorded synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(List<PaymentProgress> sink) : IProgress<PaymentProgress>
    {
        public void Report(PaymentProgress value)
        {
            lock (sink)
                sink.Add(value);
        }
    }
}
