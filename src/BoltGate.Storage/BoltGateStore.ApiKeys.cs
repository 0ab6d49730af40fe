using BoltGate.Storage.ApiKeys;
using Dapper;

namespace BoltGate.Storage;

/// <summary>Named API keys with scopes: created with the hash of a key shown once, found by that hash, revoked.</summary>
public sealed partial class BoltGateStore
{
    public Task<StoredApiKey> CreateApiKeyAsync(string id, string name, string keyHashHex, IReadOnlyList<string> scopes,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        return WriteAsync(async (c, tx) =>
        {
            var now = NowMs();
            await c.ExecuteAsync(Cmd(
                "INSERT INTO api_keys (id, name, key_hash, scopes, created_at) VALUES (@id, @name, @keyHashHex, @scopes, @now)",
                new { id, name, keyHashHex, scopes = string.Join(' ', scopes), now }, tx, ct)).ConfigureAwait(false);
            return (new StoredApiKey(id, name, scopes, ColumnValues.Time(now), null, null), true);
        }, ct);
    }

    /// <summary>The key whose SHA-256 is <paramref name="keyHashHex"/>, if it exists and is not revoked.</summary>
    public Task<StoredApiKey?> FindApiKeyByHashAsync(string keyHashHex, CancellationToken ct = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<ApiKeyRow>(Cmd(
            $"SELECT {ApiKeyRow.Columns} FROM api_keys WHERE key_hash = @keyHashHex AND revoked_at IS NULL", new { keyHashHex }, null, ct))
            .ConfigureAwait(false))?.ToKey(), ct);

    /// <summary>Every key, revoked ones too, oldest first.</summary>
    public Task<IReadOnlyList<StoredApiKey>> ListApiKeysAsync(CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<StoredApiKey>>(async c => (await c.QueryAsync<ApiKeyRow>(Cmd(
            $"SELECT {ApiKeyRow.Columns} FROM api_keys ORDER BY created_at, id", null, null, ct)).ConfigureAwait(false))
            .Select(r => r.ToKey()).ToList(), ct);

    /// <summary>Revokes the key (it stays listed); false when no key has this id. Revoking twice keeps the first time.</summary>
    public Task<StoredApiKey?> RevokeApiKeyAsync(string id, CancellationToken ct = default) =>
        WriteAsync<StoredApiKey?>(async (c, tx) =>
        {
            await c.ExecuteAsync(Cmd("UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL",
                new { id, now = NowMs() }, tx, ct)).ConfigureAwait(false);
            var row = await c.QuerySingleOrDefaultAsync<ApiKeyRow>(Cmd(
                $"SELECT {ApiKeyRow.Columns} FROM api_keys WHERE id = @id", new { id }, tx, ct)).ConfigureAwait(false);
            return (row?.ToKey(), row is not null);
        }, ct);

    /// <summary>
    /// Records that the key was used now, unless that was recorded less than <paramref name="resolution"/> ago:
    /// one conditional write a minute per key, not one per request. True when it wrote.
    /// </summary>
    public Task<bool> TouchApiKeyAsync(string id, TimeSpan resolution, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var now = NowMs();
            var n = await c.ExecuteAsync(Cmd(
                "UPDATE api_keys SET last_used_at = @now WHERE id = @id AND (last_used_at IS NULL OR last_used_at <= @before)",
                new { id, now, before = now - (long)resolution.TotalMilliseconds }, tx, ct)).ConfigureAwait(false);
            return (n == 1, n == 1);
        }, ct);

    private sealed class ApiKeyRow
    {
        public const string Columns = "id, name, scopes, created_at, last_used_at, revoked_at";

        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Scopes { get; set; } = "";
        public long CreatedAt { get; set; }
        public long? LastUsedAt { get; set; }
        public long? RevokedAt { get; set; }

        public StoredApiKey ToKey() => new(Id, Name, Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), ColumnValues.Time(CreatedAt),
            ColumnValues.Time(LastUsedAt), ColumnValues.Time(RevokedAt));
    }
}
