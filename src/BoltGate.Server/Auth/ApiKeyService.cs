using System.Security.Cryptography;
using BoltGate.Core.Crypto;
using BoltGate.Server.Cards;
using BoltGate.Storage;
using BoltGate.Storage.ApiKeys;

namespace BoltGate.Server.Auth;

/// <summary>A key just created: the stored record and the key itself, which is shown this once.</summary>
public sealed record CreatedApiKey(StoredApiKey Stored, string Key);

/// <summary>Creating, listing and revoking named API keys with scopes (<see cref="Scopes"/>).</summary>
public sealed class ApiKeyService(BoltGateStore store)
{
    public async Task<CardResult<CreatedApiKey>> CreateAsync(string? name, IReadOnlyList<string?>? scopes, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100)
            return CardError.Invalid("name must be 1 to 100 characters.");
        if (scopes is null || scopes.Count == 0)
            return CardError.Invalid($"scopes must list at least one of: {string.Join(", ", Scopes.All)}.");
        var unknown = scopes.Where(s => s is null || !Scopes.All.Contains(s)).ToList();
        if (unknown.Count > 0)
            return CardError.Invalid($"Unknown scope(s) {string.Join(", ", unknown.Select(s => s ?? "null"))}; use {string.Join(", ", Scopes.All)}.");
        var key = ApiKeySecrets.NewKey();
        var stored = await store.CreateApiKeyAsync(Hex.Lower(RandomNumberGenerator.GetBytes(16)), name.Trim(), ApiKeySecrets.Hash(key),
            scopes.Distinct().ToList()!, ct).ConfigureAwait(false);
        return new CreatedApiKey(stored, key);
    }

    public async Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken ct) => await store.ListApiKeysAsync(ct).ConfigureAwait(false);

    public async Task<CardResult<StoredApiKey>> RevokeAsync(string id, CancellationToken ct) =>
        await store.RevokeApiKeyAsync(id, ct).ConfigureAwait(false) is { } revoked
            ? revoked
            : new CardError(CardErrorKind.ApiKeyNotFound, "No API key with this id.");
}
