using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using BoltGate.Core.Crypto;
using BoltGate.Storage;

namespace BoltGate.Server.Auth;

/// <summary>
/// The keys the gateway accepts: the bootstrap <c>admin.key</c>, then the stored keys (<c>/api/v1/keys</c>).
/// A stored key is found by its SHA-256, so the comparison is an index look-up of a hash, never of the key;
/// its last use is written at most once a minute per key and instance (<see cref="TouchEvery"/>).
/// </summary>
public sealed class GatewayApiKeys(BootstrapApiKey bootstrap, BoltGateStore store, TimeProvider time) : IApiKeys
{
    public static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _touched = new(StringComparer.Ordinal);

    public async ValueTask<ApiKeyGrant?> FindAsync(string presented, CancellationToken ct)
    {
        if (await bootstrap.FindAsync(presented, ct).ConfigureAwait(false) is { } admin)
            return admin;
        if (!ApiKeySecrets.LooksLikeKey(presented))
            return null;
        if (await store.FindApiKeyByHashAsync(ApiKeySecrets.Hash(presented), ct).ConfigureAwait(false) is not { } key)
            return null;
        var now = time.GetUtcNow();
        if (!_touched.TryGetValue(key.Id, out var last) || now - last >= TouchEvery)
        {
            _touched[key.Id] = now;
            await store.TouchApiKeyAsync(key.Id, TouchEvery, ct).ConfigureAwait(false);
        }
        return new ApiKeyGrant(key.Name, key.Scopes);
    }
}

/// <summary>New API keys (<c>bg_</c> + 256 random bits, base64url) and the hash they are stored and found by.</summary>
public static class ApiKeySecrets
{
    public const string Prefix = "bg_";

    public static string NewKey() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static bool LooksLikeKey(string presented) => presented.StartsWith(Prefix, StringComparison.Ordinal) && presented.Length == 46;

    public static string Hash(string key) => Hex.Lower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
