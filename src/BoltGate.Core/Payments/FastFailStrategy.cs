namespace BoltGate.Core.Payments;

/// <summary>
/// The Boltcard default: one attempt window up to the deadline; the first definitive failure
/// refunds at once. A holder at a POS wants a quick yes or no and their money back, not a
/// payment that lands minutes later when they have already paid another way.
/// </summary>
public sealed class FastFailStrategy : IPaymentStrategy
{
    public static FastFailStrategy Instance { get; } = new();

    public string Name => "FastFail";

    public RetryDecision AfterFailure(FailedAttempt attempt) =>
        RetryDecision.Stop($"fast-fail: {attempt.Kind.Code()} is final for a card payment");
}
