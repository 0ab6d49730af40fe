using System.Security.Cryptography;
using System.Text;
using BoltGate.Server.Secrets;

namespace BoltGate.Server.Auth;

/// <summary>A known API key: its name (for logs and audit, never the key) and its scopes (<see cref="Scopes"/>).</summary>
public sealed record ApiKeyGrant(string Name, IReadOnlyList<string> Scopes);

/// <summary>The keys the gateway accepts: the presented bearer key to its grant, or null for an unknown key.</summary>
public interface IApiKeys
{
    ValueTask<ApiKeyGrant?> FindAsync(string presented, CancellationToken ct);
}

/// <summary>The bootstrap admin key (<c>Admin:ApiKey</c> or <c>{DataDir}/admin.key</c>): scope <c>admin</c>, compared in constant time.</summary>
public sealed class BootstrapApiKey(GatewaySecrets secrets) : IApiKeys
{
    private static readonly ApiKeyGrant Grant = new("admin.key", [Scopes.Admin]);
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(secrets.AdminApiKey);

    public ValueTask<ApiKeyGrant?> FindAsync(string presented, CancellationToken ct) =>
        ValueTask.FromResult(CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _expected) ? Grant : null);
}
