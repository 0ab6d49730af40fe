using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;

namespace BoltGate.Lightning;

/// <summary>
/// One Lightning node, whatever is behind it (LND REST, Core Lightning JSON-RPC, the simulated node).
/// Every answer about a payment is a value: <see cref="PaymentOutcome"/> for a payment and
/// <see cref="PaymentLookup"/> for a look-up by hash. Exceptions mean a bug or a misconfiguration,
/// never "no route".
/// </summary>
public interface ILightningNode : IDisposable
{
    /// <summary>Network, identity and sync state of the node. Throws <see cref="LightningNodeException"/> if unreachable.</summary>
    Task<NodeInfo> GetInfoAsync(CancellationToken ct);

    /// <summary>
    /// Pays <see cref="PayRequest.Bolt11"/> and returns no later than about <see cref="PayRequest.Deadline"/>
    /// (plus a short look-up by hash when the deadline cut the answer off). The node is told the same
    /// deadline (LND <c>timeout_seconds</c>, Core Lightning <c>retry_for</c>), which only stops new
    /// attempts: an HTLC already sent is reported as <see cref="PaymentOutcome.Unknown"/>, never Failed.
    /// <see cref="FailureKind.NodeUnavailable"/> is returned only when the payment provably never reached the node.
    /// Paying a hash this node already paid returns the earlier <see cref="PaymentOutcome.Succeeded"/>
    /// without paying again; paying a hash still in flight returns Unknown.
    /// </summary>
    Task<PaymentOutcome> PayAsync(PayRequest request, IProgress<PaymentProgress>? progress, CancellationToken ct);

    /// <summary>
    /// The node's current view of the payment with this hash, without waiting for it to finish. Works
    /// across restarts of our process and of this client. <see cref="PaymentLookup.NotFound"/> means the
    /// node has no record of it: it was never sent, so it is safe to refund or send again.
    /// </summary>
    Task<PaymentLookup> TrackAsync(Bytes32 paymentHash, CancellationToken ct);

    /// <summary>Creates an invoice to be paid to this node (Lightning top-ups).</summary>
    Task<CreatedInvoice> CreateInvoiceAsync(Msat amount, string description, TimeSpan expiry, CancellationToken ct);

    /// <summary>Waits until the invoice with this hash is paid, expires or is canceled.</summary>
    Task<InvoiceStatus> WaitInvoiceAsync(Bytes32 paymentHash, CancellationToken ct);

    /// <summary>Asks the node whether it knows a route to <paramref name="payeePubKeyHex"/> for this amount, without paying.</summary>
    Task<RouteProbe> ProbeRouteAsync(string payeePubKeyHex, Msat amount, CancellationToken ct);

    /// <summary>
    /// Outbound and inbound liquidity summed over the node's active channels. Never throws for a node
    /// that cannot tell: that is <see cref="NodeLiquidity.Unknown"/> (only <paramref name="ct"/> cancels).
    /// </summary>
    Task<NodeLiquidity> GetLiquidityAsync(CancellationToken ct);
}
