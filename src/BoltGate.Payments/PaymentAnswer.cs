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

    /// <summary>Failed definitively with <paramref name="Kind"/>; the refund is committed. <paramref name="NodeMessage"/> is the node's words.</summary>
    public sealed record Failed(Withdrawal Withdrawal, FailureKind Kind, string? NodeMessage) : PaymentAnswer(Withdrawal)
    {
        /// <summary>The failure kind's stable code (NO_ROUTE, ...).</summary>
        public string Code => Kind.Code();

        public string Message => $"Payment failed ({Code}); {NotCharged}.";
    }

    public sealed record Pending(Withdrawal Withdrawal, string Reason) : PaymentAnswer(Withdrawal);

    public static PaymentAnswer From(Withdrawal w) => w.State switch
    {
        // The stored code becomes a kind here, once; callers get the enum value.
        WithdrawalState.Failed => new Failed(w, FailureKindCodes.FromCode(w.FailureCode), w.NodeMessage),
        WithdrawalState.Succeeded => new Succeeded(w),
        WithdrawalState.Reserved when w.Attempts > 0 => new Pending(w, "pending: the payment will be retried"),
        _ => new Pending(w, "pending: the payment is under way"),
    };
}
