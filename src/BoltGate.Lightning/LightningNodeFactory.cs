using BoltGate.Lightning.CoreLightning;
using BoltGate.Lightning.Lnd;
using BoltGate.Lightning.Simulated;
using Microsoft.Extensions.Logging;

namespace BoltGate.Lightning;

/// <summary>Builds the <see cref="ILightningNode"/> a connection string names.</summary>
public static class LightningNodeFactory
{
    /// <summary>
    /// Parses <paramref name="connectionString"/> (throws <see cref="FormatException"/> naming the bad
    /// part) and creates the client. A <c>type=simulated</c> node gets a fresh network with the
    /// standard payees (<see cref="SimulatedNetwork.StandardPayees"/>).
    /// </summary>
    public static ILightningNode Create(string connectionString, TimeProvider time, ILoggerFactory? loggerFactory = null) =>
        Create(LightningConnectionString.Parse(connectionString), time, loggerFactory);

    public static ILightningNode Create(LightningConnectionString connection, TimeProvider time, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(time);
        switch (connection)
        {
            case LightningConnectionString.LndRest lnd:
                return new LndRestClient(lnd, time, loggerFactory?.CreateLogger<LndRestClient>());
            case LightningConnectionString.CoreLightning cln:
                return new CoreLightningClient(cln, time, loggerFactory?.CreateLogger<CoreLightningClient>());
            case LightningConnectionString.Simulated sim:
                var network = new SimulatedNetwork(sim.Network, time, sim.UnknownPayees, sim.Delay);
                network.AddStandardPayees(sim.HoldFor);
                return new SimulatedNode(network);
            default:
                throw new ArgumentOutOfRangeException(nameof(connection), connection.GetType().Name, "unknown connection type");
        }
    }
}
