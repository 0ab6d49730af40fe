namespace BoltGate.Lightning;

/// <summary>What <see cref="ILightningNode.PayAsync"/> reports while it waits.</summary>
public enum PaymentStage
{
    /// <summary>The node accepted the payment: from here on it may be in flight.</summary>
    Accepted,

    /// <summary>At least one HTLC is out; <see cref="PaymentProgress.HtlcsInFlight"/> says how many.</summary>
    InFlight,

    /// <summary>The node stopped making new attempts (its own deadline) while HTLCs are still out.</summary>
    NoNewAttempts,

    /// <summary>Our own deadline passed before the node gave a final answer; the outcome will be Unknown unless a look-up resolves it.</summary>
    DeadlineReached,
}

public sealed record PaymentProgress(PaymentStage Stage, int HtlcsInFlight, string Detail);
