using BoltGate.Lightning;
using BoltGate.Lightning.CoreLightning;
using BoltGate.Lightning.Fakes.CoreLightning;
using BoltGate.Lightning.Fakes.Lnd;
using BoltGate.Lightning.Lnd;
using BoltGate.Lightning.Simulated;

namespace BoltGate.Testing;

/// <summary>The Lightning backends a suite runs on: the simulated node in process, and real clients over the protocol fakes.</summary>
public enum Backend
{
    Simulated,
    LndRest,
    CoreLightning,
}

/// <summary>
/// One running backend over a <see cref="SimulatedNetwork"/>, and fresh clients of it (a restart's new
/// client). The one way the tests start a backend fake behind <see cref="ILightningNode"/>.
/// </summary>
public sealed class RunningBackend : IAsyncDisposable
{
    private readonly Func<ILightningNode> _newClient;
    private readonly IAsyncDisposable? _fake;

    private RunningBackend(Func<ILightningNode> newClient, IAsyncDisposable? fake)
    {
        _newClient = newClient;
        _fake = fake;
    }

    public ILightningNode NewClient() => _newClient();

    /// <summary>Core Lightning v26.06 (xpay, also behind pay), the version the fakes play unless told.</summary>
    public const string CurrentCoreLightning = "v26.06-258-g090f4b0";

    public static async Task<RunningBackend> StartAsync(Backend backend, SimulatedNetwork network, TimeProvider time,
        string coreLightningVersion = CurrentCoreLightning)
    {
        switch (backend)
        {
            case Backend.Simulated:
                return new RunningBackend(() => new SimulatedNode(network), null);
            case Backend.LndRest:
            {
                var fake = await LndRestFake.StartAsync(network);
                return new RunningBackend(() => new LndRestClient(
                    (LightningConnectionString.LndRest)LightningConnectionString.Parse(fake.ConnectionString), time), fake);
            }
            case Backend.CoreLightning:
            {
                var fake = ClnRpcFake.Start(network, coreLightningVersion);
                return new RunningBackend(() => new CoreLightningClient(
                    (LightningConnectionString.CoreLightning)LightningConnectionString.Parse(fake.ConnectionString), time), fake);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(backend));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_fake is not null)
            await _fake.DisposeAsync();
    }
}
