namespace BoltGate.Storage.Withdrawals;

public abstract record ReserveResult
{
    private ReserveResult()
    {
    }

    /// <summary>The k1 and counter are consumed, funds and daily limit reserved, withdrawal written: all committed.</summary>
    public sealed record Reserved(Withdrawal Withdrawal) : ReserveResult
    {
        /// <summary>The strategy the withdrawal starts with (its card's), read in the same transaction.</summary>
        public PaymentPolicy Policy { get; init; } = PaymentPolicy.FastFail;
    }

    public sealed record Rejected(ReserveRejection Reason) : ReserveResult;
}
