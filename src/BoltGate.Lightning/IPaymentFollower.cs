using BoltGate.Core.Crypto;

namespace BoltGate.Lightning;

/// <summary>
/// A node that pushes a payment's changes (LND's <c>TrackPaymentV2</c> stream), so whoever tracks an
/// unknown outcome hears of the final one at once instead of at its next look-up. Nodes without a push
/// channel (Core Lightning here, the simulated node) do not implement it; callers poll
/// <see cref="ILightningNode.TrackAsync"/> with a backoff instead.
/// </summary>
public interface IPaymentFollower
{
    /// <summary>False when this instance cannot follow (e.g. a wrapper over a node that does not stream).</summary>
    bool CanFollow { get; }

    /// <summary>
    /// Follows the payment until the node reports it final, the stream ends, or <paramref name="ct"/> is
    /// canceled (then it throws). Returns the last state seen; a final one is definitive.
    /// </summary>
    Task<PaymentLookup> FollowAsync(Bytes32 paymentHash, CancellationToken ct);
}
