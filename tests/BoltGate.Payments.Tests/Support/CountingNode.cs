using System.Collections.Concurrent;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Lightning;

namespace BoltGate.Payments.Tests.Support;

/// <summary>
/// Wraps a real client (simulated node, LND or CLN client over its fake) and counts what the engine asks
/// of it, per payment hash. A test can script answers (a failure kind no backend produces on demand, a
/// node that cannot be reached) without replacing the backend underneath.
/// </summary>
public sealed class CountingNode(ILightningNode inner) : ILightningNode, IPaymentFollower
{
    private int _follows;
    private readonly ConcurrentDictionary<Bytes32, int> _pays = new();
    private readonly ConcurrentDictionary<Bytes32, int> _inProgress = new();
    private int _probes;

    /// <summary>When set and it returns an outcome, PayAsync answers that without calling the backend.</summary>
    public Func<PayRequest, PaymentOutcome?>? PayScript { get; set; }

    /// <summary>When set and it returns a look-up, TrackAsync answers that without calling the backend.</summary>
    public Func<Bytes32, PaymentLookup?>? TrackScript { get; set; }

    public int PayCalls(Bytes32 hash) => _pays.TryGetValue(hash, out var n) ? n : 0;

    public int TotalPayCalls => _pays.Values.Sum();

    public int Probes => _probes;

    /// <summary>Times the engine followed a payment on the node's stream (LND only).</summary>
    public int Follows => _follows;

    public bool CanFollow => TrackScript is null && inner is IPaymentFollower { CanFollow: true };

    public Task<PaymentLookup> FollowAsync(Bytes32 paymentHash, CancellationToken ct)
    {
        Interlocked.Increment(ref _follows);
        return ((IPaymentFollower)inner).FollowAsync(paymentHash, ct);
    }

    /// <summary>Hashes whose PayAsync has been called and not returned yet.</summary>
    public IReadOnlyCollection<Bytes32> PayingNow => _inProgress.Keys.ToList();

    public Task<NodeInfo> GetInfoAsync(CancellationToken ct) => inner.GetInfoAsync(ct);

    public async Task<PaymentOutcome> PayAsync(PayRequest request, IProgress<PaymentProgress>? progress, CancellationToken ct)
    {
        _pays.AddOrUpdate(request.PaymentHash, 1, (_, n) => n + 1);
        if (PayScript?.Invoke(request) is { } scripted)
            return scripted;
        _inProgress.AddOrUpdate(request.PaymentHash, 1, (_, n) => n + 1);
        try
        {
            return await inner.PayAsync(request, progress, ct);
        }
        finally
        {
            if (_inProgress.AddOrUpdate(request.PaymentHash, 0, (_, n) => n - 1) <= 0)
                _inProgress.TryRemove(request.PaymentHash, out _);
        }
    }

    public Task<PaymentLookup> TrackAsync(Bytes32 paymentHash, CancellationToken ct) =>
        TrackScript?.Invoke(paymentHash) is { } scripted ? Task.FromResult(scripted) : inner.TrackAsync(paymentHash, ct);

    public Task<CreatedInvoice> CreateInvoiceAsync(Msat amount, string description, TimeSpan expiry, CancellationToken ct) =>
        inner.CreateInvoiceAsync(amount, description, expiry, ct);

    public Task<InvoiceStatus> WaitInvoiceAsync(Bytes32 paymentHash, CancellationToken ct) => inner.WaitInvoiceAsync(paymentHash, ct);

    public Task<RouteProbe> ProbeRouteAsync(string payeePubKeyHex, Msat amount, CancellationToken ct)
    {
        Interlocked.Increment(ref _probes);
        return inner.ProbeRouteAsync(payeePubKeyHex, amount, ct);
    }

    public Task<NodeLiquidity> GetLiquidityAsync(CancellationToken ct) => inner.GetLiquidityAsync(ct);

    public void Dispose() => inner.Dispose();
}
