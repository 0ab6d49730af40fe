using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BoltGate.Core.Bitcoin;
using BoltGate.Lightning.Simulated;
using BoltGate.Storage;
using BoltGate.Testing.Databases;

namespace BoltGate.Server.Tests;

/// <summary>/readyz says ready while the node answers, and 503 with the node's reason once it is gone; /healthz stays ok.</summary>
[Trait(Category.Name, Category.Contract)]
public sealed class ReadinessTests
{
    [Fact(Timeout = 60_000)]
    public async Task Readyz_reports_a_node_that_stopped_answering_and_healthz_stays_alive()
    {
        var network = new SimulatedNetwork(BitcoinNetwork.Regtest, TimeProvider.System);
        var backend = await RunningBackend.StartAsync(Backend.LndRest, network, TimeProvider.System);
        await using var database = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        using var dataDir = new TempDir("boltgate-ready-");
        await using var gateway = new GatewayFactory(new Dictionary<string, string?>
        {
            ["DataDir"] = dataDir.Path,
            ["Storage:Provider"] = "sqlite",
            ["Storage:ConnectionString"] = database.ConnectionString,
            ["Admin:ApiKey"] = "ready-admin-key-0123456789abcdef",
            ["Issuer:Key"] = GatewayHost.IssuerKeyHex,
        }, backend.NewClient());
        using var client = gateway.CreateClient();

        var ready = await client.GetAsync("/readyz");
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(ready.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("lightning").GetProperty("status").GetString());

        await backend.DisposeAsync(); // the node goes away
        var notReady = await client.GetAsync("/readyz");
        body = await notReady.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal("not ready", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        var lightning = body.GetProperty("checks").GetProperty("lightning");
        Assert.Equal("failed", lightning.GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(lightning.GetProperty("reason").GetString()));
        Assert.Equal("ok", await client.GetStringAsync("/healthz"));
    }
}
