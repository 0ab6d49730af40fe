using BoltGate.Storage;
using Xunit;

namespace BoltGate.Testing;

/// <summary>
/// A test class on a fresh in-process gateway per test (<see cref="GatewayHost"/>) over the database
/// its subclass names; a suite runs once per database through its <c>_Sqlite</c>/<c>_Postgres</c> subclasses.
/// </summary>
public abstract class GatewaySuite : IAsyncLifetime
{
    private GatewayHost? _host;

    protected abstract StorageProvider Provider { get; }

    /// <summary>Settings over <see cref="GatewayHost"/>'s defaults, for every test of the suite.</summary>
    protected virtual Dictionary<string, string?>? Settings => null;

    protected GatewayHost Host => _host ?? throw new InvalidOperationException("The gateway has not started.");

    public async Task InitializeAsync() => _host = await GatewayHost.StartAsync(Provider, Settings);

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }
}
