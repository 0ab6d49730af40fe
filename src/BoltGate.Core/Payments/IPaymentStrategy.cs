namespace BoltGate.Core.Payments;

/// <summary>
/// Decides what happens after an attempt failed definitively: give the money back now, or try
/// again at a given time. A strategy never schedules an attempt whose window would end past the
/// invoice's expiry (less the deadline policy's safety margin).
/// </summary>
public interface IPaymentStrategy
{
    string Name { get; }

    RetryDecision AfterFailure(FailedAttempt attempt);
}

/// <summary>What a strategy is told about a failed attempt.</summary>
/// <param name="Kind">Why the attempt failed.</param>
/// <param name="AttemptsSoFar">Attempts made, this one included (1 after the first).</param>
/// <param name="Now">When the failure was seen.</param>
/// <param name="InvoiceExpiresAt">The invoice's expiry.</param>
public readonly record struct FailedAttempt(
    FailureKind Kind,
    int AttemptsSoFar,
    DateTimeOffset Now,
    DateTimeOffset InvoiceExpiresAt);

public abstract record RetryDecision
{
    private RetryDecision()
    {
    }

    /// <summary>Stop: refund the reservation with this failure.</summary>
    public sealed record GiveUp(string Why) : RetryDecision;

    /// <summary>Keep the reservation and make another attempt at <paramref name="At"/>.</summary>
    public sealed record RetryAt(DateTimeOffset At) : RetryDecision;

    public static RetryDecision Stop(string why) => new GiveUp(why);
}

public static class FailureKinds
{
    /// <summary>
    /// Kinds where a later attempt can succeed (the network or the node may change). The others
    /// describe the invoice itself, and no retry can fix them.
    /// </summary>
    public static bool IsRetryable(this FailureKind kind) => kind is
        FailureKind.NoRoute or
        FailureKind.InsufficientLiquidity or
        FailureKind.FeeLimitExceeded or
        FailureKind.Timeout or
        FailureKind.NodeUnavailable or
        FailureKind.Unknown;
}
