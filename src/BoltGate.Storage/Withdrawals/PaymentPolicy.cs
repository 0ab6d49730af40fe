namespace BoltGate.Storage.Withdrawals;

/// <summary>
/// Which payment strategy drives a withdrawal: stored per card and, optionally, per withdrawal
/// (<c>payment_policy</c> columns, schema v2). The engine maps it to an
/// <see cref="BoltGate.Core.Payments.IPaymentStrategy"/>.
/// </summary>
public enum PaymentPolicy
{
    /// <summary>A POS card: one attempt window, refund at the first definitive failure.</summary>
    FastFail,

    /// <summary>An operator payout: retried on a schedule, refunded after the last attempt.</summary>
    GradedRetry,
}
