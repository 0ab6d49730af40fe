using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BoltGate.Storage;

namespace BoltGate.Server.Tests;

/// <summary>
/// The dev routes that play a wallet paying the node's own invoice (a top-up) and list the simulated
/// node's channels: what the console's browser tests drive the gateway process with.
/// </summary>
[Trait(Category.Name, Category.Contract)]
public sealed class DevWalletTests
{
    [Fact(Timeout = 60_000)]
    public async Task A_wallet_pays_a_top_up_invoice_once_and_only_the_nodes_own_invoices()
    {
        await using var host = await GatewayHost.StartAsync(StorageProvider.Sqlite);
        var card = await host.CreateCardAsync(0);
        using var admin = host.RawAdmin();
        using var made = await admin.PostAsJsonAsync($"/api/v1/cards/{card.Id}/topups", new { amountSat = 4_000 });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var bolt11 = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bolt11").GetString()!;

        using var anonymous = host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/dev/wallet/pay", new { bolt11 })).StatusCode);
        using var paid = await admin.PostAsJsonAsync("/api/v1/dev/wallet/pay", new { bolt11 });
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal(4_000_000, (await paid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("amountMsat").GetInt64());
        for (var i = 0; i < 100 && await host.BalanceMsatAsync(card.Id) == 0; i++)
            await Task.Delay(50);
        Assert.Equal(4_000_000, await host.BalanceMsatAsync(card.Id));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/v1/dev/wallet/pay", new { bolt11 })).StatusCode);

        // An invoice of someone else (the dev payee) is not the node's to receive.
        using var foreign = await admin.PostAsJsonAsync("/api/v1/dev/invoices", new { amountSat = 10 });
        var other = (await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bolt11").GetString()!;
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/v1/dev/wallet/pay", new { bolt11 = other })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/v1/dev/wallet/pay", new { bolt11 = "lnbc1nonsense" })).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_channels_route_lists_the_simulated_channels_active_and_offline()
    {
        await using var host = await GatewayHost.StartAsync(StorageProvider.Sqlite);
        using var admin = host.RawAdmin();
        var channels = await admin.GetFromJsonAsync<List<JsonElement>>("/api/v1/dev/channels");
        Assert.Equal(host.Lightning.Channels.Count, channels!.Count);
        Assert.Equal([true, true, false], channels.Select(c => c.GetProperty("active").GetBoolean()));
        Assert.Equal(1_000_000_000, channels[0].GetProperty("localMsat").GetInt64());
        Assert.Equal(host.Lightning.PayeePubKeyHex("alice"), channels[0].GetProperty("peerPubKey").GetString());
    }
}
