namespace BoltGate.Storage.Sessions;

/// <summary>An LNURL-withdraw offer made for one tap (card + counter): <see cref="K1"/> is 32 lower-case hex.</summary>
public sealed record K1Session(
    string K1,
    string CardId,
    long Counter,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? ConsumedAt)
{
    public bool IsConsumed => ConsumedAt is not null;

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;
}
