namespace BoltGate.Storage.ApiKeys;

/// <summary>An API key as stored: never the key itself, only its SHA-256 (hex), its name and scopes.</summary>
public sealed record StoredApiKey(
    string Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public bool Revoked => RevokedAt is not null;
}
