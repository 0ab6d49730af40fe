namespace BoltGate.Storage.Withdrawals;

public abstract record ReserveResult
{
    private ReserveResult()
    {
    }

    /// <summary>The k1 and counter are consumed, funds and daily limit reserved, withdrawal written: all committed.</summary>
    public sealed record Reserved(Withdrawal Withdrawal) : ReserveResult;

    public sealed record Rejected(ReserveRejection Reason) : ReserveResult;
}
