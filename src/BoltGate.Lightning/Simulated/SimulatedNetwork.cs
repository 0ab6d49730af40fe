using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;

namespace BoltGate.Lightning.Simulated;

/// <summary>
/// A node and the network around it, in process: our node's key and invoices, named payees each
/// with its own deterministic key and <see cref="PayeeBehavior"/>, and a payment database keyed by
/// hash. Time comes from the injected <see cref="TimeProvider"/>, so tests drive it with a fake
/// clock. <see cref="SimulatedNode"/> is the <see cref="ILightningNode"/> over it; the LND and Core
/// Lightning test fakes render the same state in their wire formats.
/// </summary>
public sealed class SimulatedNetwork
{
    private readonly byte[] _nodeKey;
    private readonly ConcurrentDictionary<string, Payee> _payeesByKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Payee> _payeesByName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Bytes32, Bytes32> _payeePreimages = new();
    private readonly ConcurrentDictionary<Bytes32, SimulatedPayment> _payments = new();
    private readonly ConcurrentDictionary<Bytes32, int> _starts = new();
    private readonly ConcurrentDictionary<Bytes32, SimulatedInvoice> _invoices = new();
    private readonly ConcurrentDictionary<string, SimulatedChannel> _channels = new(StringComparer.Ordinal);
    private readonly object _startGate = new();
    private int _nextChannel;
    private int _standardChannelsOpened;

    public SimulatedNetwork(BitcoinNetwork network, TimeProvider time, UnknownPayeePolicy unknownPayees = UnknownPayeePolicy.Succeed,
        TimeSpan? defaultDelay = null, string nodeSeed = "boltgate")
    {
        Network = network;
        Time = time ?? throw new ArgumentNullException(nameof(time));
        UnknownPayees = unknownPayees;
        DefaultDelay = defaultDelay ?? TimeSpan.FromMilliseconds(200);
        _nodeKey = KeyFor("node", nodeSeed);
        NodePubKeyHex = Convert.ToHexStringLower(Bolt11Encoder.PublicKeyOf(_nodeKey));
    }

    public BitcoinNetwork Network { get; }
    public TimeProvider Time { get; }
    public UnknownPayeePolicy UnknownPayees { get; }
    public TimeSpan DefaultDelay { get; }
    public string NodePubKeyHex { get; }

    /// <summary>How long the <c>hold-settle</c> / <c>hold-cancel</c> payees hold the HTLC unless told otherwise (declared before
    /// <see cref="StandardPayees"/>, which reads it while initialising).</summary>
    public static TimeSpan DefaultHoldFor { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Payees every simulated node knows, for demos and the contract tests.</summary>
    public static IReadOnlyDictionary<string, PayeeBehavior> StandardPayees { get; } = new Dictionary<string, PayeeBehavior>
    {
        ["alice"] = new PayeeBehavior.Succeed(TimeSpan.FromMilliseconds(300), new Msat(1_000)),
        ["noroute"] = new PayeeBehavior.NoRoute(),
        ["broke"] = new PayeeBehavior.InsufficientLiquidity(),
        ["rejects"] = new PayeeBehavior.Rejects(TimeSpan.FromMilliseconds(300)),
        ["retrying"] = new PayeeBehavior.RetriesUntilDeadline(),
        ["slow-settle"] = new PayeeBehavior.HeldInFlight(TimeSpan.FromSeconds(60), true, new Msat(2_000)),
        ["slow-fail"] = new PayeeBehavior.HeldInFlight(TimeSpan.FromSeconds(60), false, new Msat(2_000)),
        ["split"] = new PayeeBehavior.OnePartFailsOtherHeld(TimeSpan.FromSeconds(60), true, new Msat(3_000)),
        ["blackhole"] = new PayeeBehavior.Hang(),
        ["hold-settle"] = new PayeeBehavior.HeldInFlight(DefaultHoldFor, true, new Msat(1_000)),
        ["hold-cancel"] = new PayeeBehavior.HeldInFlight(DefaultHoldFor, false, Msat.Zero),
    };

    /// <summary>
    /// Adds <see cref="StandardPayees"/> (and, the first time, opens <see cref="StandardChannels"/>). <paramref name="holdFor"/> sets how long <c>hold-settle</c> and
    /// <c>hold-cancel</c> keep the HTLC before settling or cancelling it, as a merchant's hold invoice does
    /// (connection string key <c>holdfor</c>).
    /// </summary>
    public void AddStandardPayees(TimeSpan? holdFor = null)
    {
        foreach (var (name, behavior) in StandardPayees)
        {
            AddPayee(name, holdFor is { } hold && behavior is PayeeBehavior.HeldInFlight h && name.StartsWith("hold-", StringComparison.Ordinal)
                ? h with { For = hold }
                : behavior);
        }
        if (Interlocked.Exchange(ref _standardChannelsOpened, 1) == 0)
        {
            foreach (var (peer, local, remote, active) in StandardChannels)
                OpenChannel(peer, Msat.FromSat(local), Msat.FromSat(remote), active);
        }
    }

    /// <summary>
    /// Channels <see cref="AddStandardPayees"/> opens: two active (to <c>alice</c> and <c>hold-settle</c>) and one
    /// whose peer is offline (to <c>slow-settle</c>), so the liquidity the node reports is
    /// 1,500,000 sat outbound and 1,000,000 sat inbound over 2 active channels.
    /// </summary>
    public static IReadOnlyList<(string Peer, long LocalSat, long RemoteSat, bool Active)> StandardChannels { get; } =
    [
        ("alice", 1_000_000, 250_000, true),
        ("hold-settle", 500_000, 750_000, true),
        ("slow-settle", 200_000, 100_000, false),
    ];

    /// <summary>Opens a channel to a named payee; returns it.</summary>
    public SimulatedChannel OpenChannel(string peerName, Msat local, Msat remote, bool active = true)
    {
        if (local.IsNegative || remote.IsNegative)
            throw new ArgumentOutOfRangeException(nameof(local), "channel balances cannot be negative");
        var n = Interlocked.Increment(ref _nextChannel);
        var channel = new SimulatedChannel($"{800_000 + n}x{n}x0", PayeePubKeyHex(peerName), local, remote, active);
        _channels[channel.ShortChannelId] = channel;
        return channel;
    }

    /// <summary>Takes a channel's peer offline (inactive) or back online.</summary>
    public void SetChannelActive(string shortChannelId, bool active)
    {
        if (!_channels.TryGetValue(shortChannelId, out var channel))
            throw new ArgumentException($"No simulated channel {shortChannelId}.", nameof(shortChannelId));
        _channels[shortChannelId] = channel with { Active = active };
    }

    /// <summary>Every channel, active or not, in the order they were opened.</summary>
    public IReadOnlyList<SimulatedChannel> Channels =>
        _channels.Values.OrderBy(c => int.Parse(c.ShortChannelId.Split('x')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>Outbound and inbound summed over the active channels.</summary>
    public NodeLiquidity Liquidity()
    {
        var active = Channels.Where(c => c.Active).ToList();
        return new NodeLiquidity.Known(active.Aggregate(Msat.Zero, (sum, c) => sum + c.Local),
            active.Aggregate(Msat.Zero, (sum, c) => sum + c.Remote), active.Count);
    }

    /// <summary>Adds (or redefines) a payee; its key is derived from its name.</summary>
    public string AddPayee(string name, PayeeBehavior behavior)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(behavior);
        var key = KeyFor("payee", name);
        var payee = new Payee(name, key, Convert.ToHexStringLower(Bolt11Encoder.PublicKeyOf(key)), behavior);
        _payeesByName[name] = payee;
        _payeesByKey[payee.PubKeyHex] = payee;
        return payee.PubKeyHex;
    }

    public string PayeePubKeyHex(string name) =>
        _payeesByName.TryGetValue(name, out var p) ? p.PubKeyHex : throw new ArgumentException($"No simulated payee named '{name}'.", nameof(name));

    /// <summary>A real BOLT11 invoice from a named payee, signed with the payee's key.</summary>
    public string CreatePayeeInvoice(string payeeName, Msat? amount, string description = "simulated payee", TimeSpan? expiry = null)
    {
        if (!_payeesByName.TryGetValue(payeeName, out var payee))
            throw new ArgumentException($"No simulated payee named '{payeeName}'.", nameof(payeeName));
        var preimage = Bytes32.FromSpan(RandomNumberGenerator.GetBytes(32));
        var hash = Bytes32.Sha256(preimage.Span);
        _payeePreimages[hash] = preimage;
        var request = new Bolt11InvoiceRequest(Network, amount, InvoiceTimestamp(), hash,
            Bytes32.FromSpan(RandomNumberGenerator.GetBytes(32)), description, Expiry: expiry ?? TimeSpan.FromHours(1));
        return Bolt11Encoder.Encode(request, payee.Key);
    }

    public SimulatedPayment? Find(Bytes32 hash) => _payments.TryGetValue(hash, out var p) ? p : null;

    /// <summary>Number of payments the node ever started (a duplicate refused is not one).</summary>
    public int PaymentsStarted => _payments.Count;

    /// <summary>How many times a payment for <paramref name="hash"/> was started (a failed one may be sent again); refusals do not count.</summary>
    public int StartsOf(Bytes32 hash) => _starts.TryGetValue(hash, out var n) ? n : 0;

    /// <summary>
    /// Starts paying <paramref name="bolt11"/> as a node would: decode and check it, refuse a hash
    /// already paid or in flight, then play the payee's behaviour. <paramref name="nodeBudget"/> is
    /// the node's own deadline for new attempts (LND timeout_seconds, CLN retry_for).
    /// </summary>
    public SimulatedStart StartPayment(string bolt11, Msat? amountForAmountless, Msat maxFee, TimeSpan nodeBudget)
    {
        if (Bolt11Decoder.Decode(bolt11) is not Bolt11DecodeResult.Ok { Invoice: var invoice })
            return new SimulatedStart.Refused(SimulatedRefusal.BadInvoice, "invalid invoice", null);
        if (invoice.Network != Network)
            return new SimulatedStart.Refused(SimulatedRefusal.WrongNetwork, $"invoice is for {invoice.Network}, node is on {Network}", null);
        var now = Time.GetUtcNow();
        if (invoice.IsExpiredAt(now))
            return new SimulatedStart.Refused(SimulatedRefusal.Expired, $"invoice expired at {invoice.ExpiresAt:O}", null);
        var amount = invoice.Amount ?? amountForAmountless;
        if (amount is not { IsPositive: true } amt)
            return new SimulatedStart.Refused(SimulatedRefusal.AmountMissing, "amount must be specified when paying a zero amount invoice", null);
        if (invoice.PayeeHex == NodePubKeyHex)
            return new SimulatedStart.Refused(SimulatedRefusal.SelfPayment, "self-payments not allowed", null);

        var behavior = _payeesByKey.TryGetValue(invoice.PayeeHex, out var payee)
            ? payee.Behavior
            : UnknownPayees == UnknownPayeePolicy.Succeed ? new PayeeBehavior.Succeed(DefaultDelay, Msat.Zero) : new PayeeBehavior.NoRoute();

        SimulatedPayment payment;
        lock (_startGate)
        {
            if (_payments.TryGetValue(invoice.PaymentHash, out var existing))
            {
                if (existing.Status == SimulatedPaymentStatus.Succeeded)
                    return new SimulatedStart.Refused(SimulatedRefusal.AlreadyPaid, "invoice is already paid", existing);
                if (existing.Status == SimulatedPaymentStatus.InFlight)
                    return new SimulatedStart.Refused(SimulatedRefusal.InFlight, "payment is in transition", existing);
                // A failed payment may be sent again; the old record is replaced.
            }
            payment = new SimulatedPayment(invoice.PaymentHash, bolt11, invoice.PayeeHex, amt, FeeOf(behavior), now);
            _payments[invoice.PaymentHash] = payment;
            _starts.AddOrUpdate(invoice.PaymentHash, 1, (_, n) => n + 1);
        }
        Play(payment, behavior, maxFee, nodeBudget);
        return new SimulatedStart.Started(payment);
    }

    /// <summary>Tests: settle or fail a payment that would otherwise hang.</summary>
    public void Resolve(Bytes32 hash, bool settle)
    {
        if (Find(hash) is { } p)
        {
            if (settle)
                p.Update(x => x.Settle(PreimageFor(hash), Time.GetUtcNow()));
            else
                p.Update(x => x.Fail(FailureKind.NoRoute, Time.GetUtcNow()));
        }
    }

    private void Play(SimulatedPayment p, PayeeBehavior behavior, Msat maxFee, TimeSpan budget)
    {
        if (p.Fee > maxFee)
        {
            p.Update(x => x.Fail(FailureKind.FeeLimitExceeded, Time.GetUtcNow()));
            return;
        }
        switch (behavior)
        {
            case PayeeBehavior.NoRoute:
                p.Update(x => x.Fail(FailureKind.NoRoute, Time.GetUtcNow()));
                return;
            case PayeeBehavior.InsufficientLiquidity:
                p.Update(x => x.Fail(FailureKind.InsufficientLiquidity, Time.GetUtcNow()));
                return;
            case PayeeBehavior.Succeed s:
                p.Update(x => x.SendHtlcs(1));
                After(p, s.After, x => x.Settle(PreimageFor(x.Hash), Time.GetUtcNow()));
                return;
            case PayeeBehavior.Rejects r:
                p.Update(x => x.SendHtlcs(1));
                After(p, r.After, x => x.Fail(FailureKind.IncorrectPaymentDetails, Time.GetUtcNow()));
                return;
            case PayeeBehavior.RetriesUntilDeadline:
                p.Update(x =>
                {
                    x.SendHtlcs(1);
                    x.FailHtlcs(1);
                });
                After(p, budget, x => x.Fail(FailureKind.Timeout, Time.GetUtcNow()));
                return;
            case PayeeBehavior.HeldInFlight h:
                p.Update(x => x.SendHtlcs(1));
                After(p, budget, x => x.GiveUp());
                After(p, h.For, x => Finish(x, h.ThenSettle));
                return;
            case PayeeBehavior.OnePartFailsOtherHeld o:
                p.Update(x =>
                {
                    x.SendHtlcs(2);
                    x.FailHtlcs(1);
                });
                After(p, budget, x => x.GiveUp());
                After(p, o.For, x => Finish(x, o.ThenSettle));
                return;
            case PayeeBehavior.Hang:
                p.Update(x => x.SendHtlcs(1));
                After(p, budget, x => x.GiveUp());
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(behavior), behavior, "unknown payee behaviour");
        }
    }

    private void Finish(SimulatedPayment x, bool settle)
    {
        if (settle)
            x.Settle(PreimageFor(x.Hash), Time.GetUtcNow());
        else
            x.Fail(x.NodeGaveUp ? FailureKind.Timeout : FailureKind.NoRoute, Time.GetUtcNow());
    }

    private void After(SimulatedPayment p, TimeSpan delay, Action<SimulatedPayment> change)
    {
        if (delay <= TimeSpan.Zero)
        {
            p.Update(change);
            return;
        }
        p.Hold(Time.CreateTimer(_ => p.Update(change), null, delay, Timeout.InfiniteTimeSpan));
    }

    private static Msat FeeOf(PayeeBehavior b) => b switch
    {
        PayeeBehavior.Succeed s => s.Fee,
        PayeeBehavior.HeldInFlight h => h.Fee,
        PayeeBehavior.OnePartFailsOtherHeld o => o.Fee,
        _ => Msat.Zero,
    };

    /// <summary>
    /// The preimage a payee reveals: the real one for our payees' invoices. For a payee we do not
    /// know (demo mode), the real preimage is unknowable, so the node reports a synthetic one
    /// (HMAC of the hash under its key) that does NOT hash to the payment hash.
    /// </summary>
    private Bytes32 PreimageFor(Bytes32 hash) =>
        _payeePreimages.TryGetValue(hash, out var preimage) ? preimage
        : _invoices.TryGetValue(hash, out var own) ? own.Preimage
        : Bytes32.FromSpan(HMACSHA256.HashData(_nodeKey, hash.Span));

    public RouteProbe Probe(string payeePubKeyHex, Msat amount)
    {
        var pub = payeePubKeyHex.ToLowerInvariant();
        if (!_payeesByKey.TryGetValue(pub, out var payee))
        {
            return UnknownPayees == UnknownPayeePolicy.Succeed
                ? new RouteProbe.Found(Msat.Zero, 1)
                : new RouteProbe.NoRoute("simulated: unknown payee");
        }
        return payee.Behavior switch
        {
            PayeeBehavior.NoRoute => new RouteProbe.NoRoute("simulated: no route to " + payee.Name),
            PayeeBehavior.InsufficientLiquidity => new RouteProbe.NoRoute("simulated: not enough outbound liquidity"),
            var b => new RouteProbe.Found(FeeOf(b), 2),
        };
    }

    /// <summary>"Now" as a BOLT11 timestamp: whole seconds, as every invoice carries it.</summary>
    private DateTimeOffset InvoiceTimestamp() => DateTimeOffset.FromUnixTimeSeconds(Time.GetUtcNow().ToUnixTimeSeconds());

    /// <summary>An invoice to be paid to our node, signed with the node's key.</summary>
    public CreatedInvoice CreateInvoice(Msat amount, string description, TimeSpan expiry)
    {
        var preimage = Bytes32.FromSpan(RandomNumberGenerator.GetBytes(32));
        var hash = Bytes32.Sha256(preimage.Span);
        var now = InvoiceTimestamp();
        var bolt11 = Bolt11Encoder.Encode(new Bolt11InvoiceRequest(Network, amount, now, hash,
            Bytes32.FromSpan(RandomNumberGenerator.GetBytes(32)), description, Expiry: expiry), _nodeKey);
        var invoice = new SimulatedInvoice(hash, preimage, amount, bolt11, now + expiry);
        _invoices[hash] = invoice;
        invoice.ExpiryTimer = Time.CreateTimer(_ => invoice.Resolve(InvoiceState.Expired, null, null), null, expiry, Timeout.InfiniteTimeSpan);
        return new CreatedInvoice(bolt11, hash, amount, now + expiry);
    }

    /// <summary>Simulates a payer paying one of our invoices (what a wallet would do in a demo).</summary>
    public bool ReceivePayment(Bytes32 hash, Msat amount)
    {
        if (!_invoices.TryGetValue(hash, out var invoice) || amount < invoice.Amount)
            return false;
        return invoice.Resolve(InvoiceState.Paid, amount, Time.GetUtcNow());
    }

    public Task<InvoiceStatus> WaitInvoiceAsync(Bytes32 hash, CancellationToken ct) =>
        _invoices.TryGetValue(hash, out var invoice)
            ? invoice.Final.WaitAsync(ct)
            : Task.FromException<InvoiceStatus>(new LightningNodeException("simulated node has no invoice with this hash"));

    public InvoiceStatus? CurrentInvoiceStatus(Bytes32 hash) => _invoices.TryGetValue(hash, out var i) ? i.Current : null;

    private static byte[] KeyFor(string role, string name) => SHA256.HashData(Encoding.UTF8.GetBytes($"boltgate/simulated/{role}/{name}"));

    private sealed record Payee(string Name, byte[] Key, string PubKeyHex, PayeeBehavior Behavior);

    private sealed class SimulatedInvoice(Bytes32 hash, Bytes32 preimage, Msat amount, string bolt11, DateTimeOffset expiresAt)
    {
        private readonly TaskCompletionSource<InvoiceStatus> _final = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Bytes32 Hash => hash;
        public Bytes32 Preimage => preimage;
        public Msat Amount => amount;
        public string Bolt11 => bolt11;
        public DateTimeOffset ExpiresAt => expiresAt;
        public ITimer? ExpiryTimer { get; set; }
        public Task<InvoiceStatus> Final => _final.Task;
        public InvoiceStatus Current => _final.Task.IsCompleted ? _final.Task.Result : new InvoiceStatus(InvoiceState.Open, null, null);

        public bool Resolve(InvoiceState state, Msat? received, DateTimeOffset? at)
        {
            var done = _final.TrySetResult(new InvoiceStatus(state, received, at));
            if (done)
                ExpiryTimer?.Dispose();
            return done;
        }
    }
}

public enum SimulatedRefusal
{
    BadInvoice,
    WrongNetwork,
    Expired,
    AmountMissing,
    SelfPayment,
    AlreadyPaid,
    InFlight,
}

/// <summary>What <see cref="SimulatedNetwork.StartPayment"/> did.</summary>
public abstract record SimulatedStart
{
    private SimulatedStart()
    {
    }

    public sealed record Started(SimulatedPayment Payment) : SimulatedStart;

    /// <summary>Nothing was sent. <see cref="Existing"/> is the earlier payment for AlreadyPaid / InFlight.</summary>
    public sealed record Refused(SimulatedRefusal Reason, string Message, SimulatedPayment? Existing) : SimulatedStart;
}
