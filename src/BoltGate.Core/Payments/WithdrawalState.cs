namespace BoltGate.Core.Payments;

/// <summary>
/// The life of a withdrawal once a callback has reserved funds (DESIGN.md, "The withdrawal state
/// machine"). A tap's offer (k1 session) lives apart from this: it becomes a withdrawal only when
/// the callback reserves. Reserved, Sending and InFlight hold a reservation; Succeeded and Failed
/// are final, and each reservation ends in exactly one of them.
/// </summary>
public enum WithdrawalState
{
    /// <summary>Funds reserved and the intent to pay committed; the node has not been called yet.</summary>
    Reserved,

    /// <summary>Handed to the node; waiting for its answer within the deadline.</summary>
    Sending,

    /// <summary>The outcome is unknown while an HTLC may still settle: funds stay reserved and the
    /// reconciler tracks the payment by hash.</summary>
    InFlight,

    /// <summary>Paid: the reservation was settled and the actual fee recorded.</summary>
    Succeeded,

    /// <summary>Definitively failed: the reservation was refunded in the same transaction.</summary>
    Failed,
}

public static class WithdrawalStates
{
    public static bool IsFinal(this WithdrawalState state) =>
        state is WithdrawalState.Succeeded or WithdrawalState.Failed;

    /// <summary>Whether a withdrawal may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanMove(WithdrawalState from, WithdrawalState to) => (from, to) switch
    {
        (WithdrawalState.Reserved, WithdrawalState.Sending) => true,
        // Reconciler: the node provably never saw it and the deadline passed.
        (WithdrawalState.Reserved, WithdrawalState.Failed) => true,
        (WithdrawalState.Sending, WithdrawalState.Succeeded or WithdrawalState.Failed or WithdrawalState.InFlight) => true,
        (WithdrawalState.InFlight, WithdrawalState.Succeeded or WithdrawalState.Failed) => true,
        // GradedRetry: a definitive failure of one attempt sends the withdrawal back for the next.
        (WithdrawalState.Sending or WithdrawalState.InFlight, WithdrawalState.Reserved) => true,
        _ => false,
    };
}
