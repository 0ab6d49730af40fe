namespace BoltGate.Core.Payments;

/// <summary>
/// For operator payouts, where landing the payment matters more than an instant answer:
/// <see cref="FastAttempts"/> retries every <see cref="FastInterval"/>, then slower ones every
/// <see cref="SlowInterval"/>, and a refund after <see cref="MaxAttempts"/> attempts — never an
/// attempt whose window would start after the invoice's usable life (expiry − safety margin −
/// minimum window).
/// </summary>
public sealed record GradedRetryStrategy : IPaymentStrategy
{
    public TimeSpan FastInterval { get; init; } = TimeSpan.FromMinutes(2);
    public int FastAttempts { get; init; } = 3;
    public TimeSpan SlowInterval { get; init; } = TimeSpan.FromMinutes(10);
    public int MaxAttempts { get; init; } = 10;
    public DeadlinePolicy Deadlines { get; init; } = DeadlinePolicy.Default;

    public string Name => "GradedRetry";

    public RetryDecision AfterFailure(FailedAttempt attempt)
    {
        if (!attempt.Kind.IsRetryable())
            return RetryDecision.Stop($"{attempt.Kind.Code()} cannot be fixed by retrying");
        if (attempt.AttemptsSoFar >= MaxAttempts)
            return RetryDecision.Stop($"gave up after {attempt.AttemptsSoFar} attempts");

        var wait = attempt.AttemptsSoFar <= FastAttempts ? FastInterval : SlowInterval;
        var next = attempt.Now + wait;
        if (Deadlines.DeadlineFor(attempt.InvoiceExpiresAt, next) is null)
            return RetryDecision.Stop("the invoice expires before another attempt could finish");
        return new RetryDecision.RetryAt(next);
    }

    public string? Validate()
    {
        if (FastInterval <= TimeSpan.Zero || SlowInterval <= TimeSpan.Zero)
            return "Retry intervals must be positive.";
        if (FastAttempts < 0)
            return "FastAttempts must not be negative.";
        if (MaxAttempts < 1)
            return "MaxAttempts must be at least 1.";
        return Deadlines.Validate();
    }
}
