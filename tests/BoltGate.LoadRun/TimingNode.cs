using System.Collections.Concurrent;
using System.Diagnostics;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Lightning;

namespace BoltGate.LoadRun;

/// <summary>The node as the gateway sees it, noting when it reported each definitive failure (Stopwatch ticks).</summary>
public sealed class TimingNode(ILightningNode inner) : ILightningNode
{
    private readonly ConcurrentDictionary<Bytes32, TaskCompletionSource<long>> _failed = new();

    /// <summary>Completes with the Stopwatch timestamp at which the node reported this payment failed.</summary>
    public Task<long> FailedAt(Bytes32 hash) =>
        _failed.GetOrAdd(hash, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public async Task<PaymentOutcome> PayAsync(PayRequest request, IProgress<PaymentProgress>? progress, CancellationToken ct)
    {
        var outcome = await inner.PayAsync(request, progress, ct);
        if (outcome is PaymentOutcome.Failed)
        {
            var at = Stopwatch.GetTimestamp();
            _failed.GetOrAdd(request.PaymentHash, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously))
                .TrySetResult(at);
        }
        return outcome;
    }

    public Task<NodeInfo> GetInfoAsync(CancellationToken ct) => inner.GetInfoAsync(ct);

    public Task<PaymentLookup> TrackAsync(Bytes32 paymentHash, CancellationToken ct) => inner.TrackAsync(paymentHash, ct);

    public Task<CreatedInvoice> CreateInvoiceAsync(Msat amount, string description, TimeSpan expiry, CancellationToken ct) =>
        inner.CreateInvoiceAsync(amount, description, expiry, ct);

    public Task<InvoiceStatus> WaitInvoiceAsync(Bytes32 paymentHash, CancellationToken ct) => inner.WaitInvoiceAsync(paymentHash, ct);

    public Task<RouteProbe> ProbeRouteAsync(string payeePubKeyHex, Msat amount, CancellationToken ct) =>
        inner.ProbeRouteAsync(payeePubKeyHex, amount, ct);

    public Task<NodeLiquidity> GetLiquidityAsync(CancellationToken ct) => inner.GetLiquidityAsync(ct);

    public void Dispose() => inner.Dispose();
}
