using BoltGate.Core.Payments;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Payments;

/// <summary>
/// What the callback tells the POS: paid, definitively failed with the refund already committed, or
/// still under way (the engine goes on; the funds stay reserved until the node's answer is final).
/// </summary>
public abstract record PaymentAnswer(Withdrawal Withdrawal)
{
    public const string NotCharged = "your card was not charged";

    public sealed record Succeeded(Withdrawal Withdrawal) : PaymentAnswer(Withdrawal);

    /// <summary><paramref name="Code"/> is a <see cref="FailureKind"/> code; the refund is committed.</summary>
    public sealed record Failed(Withdrawal Withdrawal, string Code, string Message) : PaymentAnswer(Withdrawal);

    public sealed record Pending(Withdrawal Withdrawal, string Reason) : PaymentAnswer(Withdrawal);

    public static PaymentAnswer From(Withdrawal w) => w.State switch
    {
        WithdrawalState.Succeeded => new Succeeded(w),
        WithdrawalState.Failed => new Failed(w, w.FailureCode ?? FailureKind.Unknown.Code(),
            $"Payment failed ({w.FailureCode ?? FailureKind.Unknown.Code()}); {NotCharged}."),
        WithdrawalState.Reserved when w.Attempts > 0 => new Pending(w, "pending: the payment will be retried"),
        _ => new Pending(w, "pending: the payment is under way"),
    };
}
