namespace BoltGate.Storage.Sessions;

/// <summary>What <see cref="BoltGateStore.OfferAsync"/> decided for a verified tap.</summary>
public abstract record OfferResult
{
    private OfferResult()
    {
    }

    /// <summary>A k1 for this tap: new, or the same one when the terminal retries the same tap.</summary>
    public sealed record Offered(K1Session Session) : OfferResult;

    /// <summary>The tap's counter is not above the card's last consumed counter, or its k1 was already used.</summary>
    public sealed record Replay : OfferResult;

    public sealed record CardNotFound : OfferResult;
}
