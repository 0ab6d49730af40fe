using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;

namespace BoltGate.Lightning.Simulated;

public enum SimulatedPaymentStatus
{
    InFlight,
    Succeeded,
    Failed,
}

/// <summary>
/// One payment inside <see cref="SimulatedNetwork"/>, observable the way a node's payment
/// database is: status, HTLCs out and failed, whether the node stopped new attempts (its deadline
/// passed), and on success the preimage and fee. Every change bumps <see cref="Version"/>.
/// </summary>
public sealed class SimulatedPayment
{
    private readonly object _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<ITimer> _timers = [];

    internal SimulatedPayment(Bytes32 hash, string bolt11, string payeeHex, Msat amount, Msat fee, DateTimeOffset createdAt)
    {
        Hash = hash;
        Bolt11 = bolt11;
        PayeeHex = payeeHex;
        Amount = amount;
        Fee = fee;
        CreatedAt = createdAt;
    }

    public Bytes32 Hash { get; }
    public string Bolt11 { get; }
    public string PayeeHex { get; }
    public Msat Amount { get; }
    public Msat Fee { get; }
    public DateTimeOffset CreatedAt { get; }
    public SimulatedPaymentStatus Status { get; private set; }
    public FailureKind? FailureKind { get; private set; }
    public int HtlcsInFlight { get; private set; }
    public int HtlcsFailed { get; private set; }
    public bool NodeGaveUp { get; private set; }
    public Bytes32? Preimage { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public int Version { get; private set; }

    public bool IsFinal => Status != SimulatedPaymentStatus.InFlight;

    /// <summary>The node's own view as an outcome.</summary>
    public PaymentOutcome Outcome
    {
        get
        {
            lock (_gate)
            {
                return Status switch
                {
                    SimulatedPaymentStatus.Succeeded => new PaymentOutcome.Succeeded(Preimage!.Value, Fee),
                    SimulatedPaymentStatus.Failed => new PaymentOutcome.Failed(FailureKind!.Value, "simulated: " + FailureKind.Value.Code()),
                    _ => new PaymentOutcome.Unknown(NodeGaveUp
                        ? $"simulated: {HtlcsInFlight} HTLC(s) still in flight after the node's deadline"
                        : $"simulated: {HtlcsInFlight} HTLC(s) in flight"),
                };
            }
        }
    }

    /// <summary>Completes at the next change after <paramref name="seenVersion"/> (at once if there was one).</summary>
    public Task WaitForChangeAsync(int seenVersion, CancellationToken ct)
    {
        lock (_gate)
        {
            if (Version != seenVersion)
                return Task.CompletedTask;
            return _changed.Task.WaitAsync(ct);
        }
    }

    public async Task WaitFinalAsync(CancellationToken ct)
    {
        while (true)
        {
            int v;
            lock (_gate)
            {
                if (IsFinal)
                    return;
                v = Version;
            }
            await WaitForChangeAsync(v, ct).ConfigureAwait(false);
        }
    }

    internal void Update(Action<SimulatedPayment> change)
    {
        TaskCompletionSource toSignal;
        lock (_gate)
        {
            if (IsFinal)
                return;
            change(this);
            Version++;
            toSignal = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (IsFinal)
            {
                foreach (var t in _timers)
                    t.Dispose();
                _timers.Clear();
            }
        }
        toSignal.TrySetResult();
    }

    internal void Hold(ITimer timer)
    {
        lock (_gate)
        {
            if (IsFinal)
                timer.Dispose();
            else
                _timers.Add(timer);
        }
    }

    internal void SendHtlcs(int count) => HtlcsInFlight += count;

    internal void FailHtlcs(int count)
    {
        HtlcsInFlight -= count;
        HtlcsFailed += count;
    }

    internal void GiveUp() => NodeGaveUp = true;

    internal void Settle(Bytes32 preimage, DateTimeOffset at)
    {
        HtlcsInFlight = 0;
        Preimage = preimage;
        Status = SimulatedPaymentStatus.Succeeded;
        ResolvedAt = at;
    }

    internal void Fail(FailureKind kind, DateTimeOffset at)
    {
        HtlcsFailed += HtlcsInFlight;
        HtlcsInFlight = 0;
        FailureKind = kind;
        Status = SimulatedPaymentStatus.Failed;
        ResolvedAt = at;
    }
}
