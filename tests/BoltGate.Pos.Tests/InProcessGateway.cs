using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace BoltGate.Pos.Tests;

/// <summary>
/// The gateway in-process exactly as the embedded demo runs it: SQLite in its own DataDir and its own
/// simulated node from the connection string (type=simulated, the standard payees, hold payees that
/// hold for 2 s), answering "pending" after 1 s. The POS reaches it through the test server's handler.
/// </summary>
public sealed class InProcessGateway : GatewayFactory
{
    public const string AdminKey = "pos-test-admin-key-0123456789";

    private readonly TempDir _dataDir;

    public InProcessGateway() : this(new TempDir("boltgate-pos-"))
    {
    }

    private InProcessGateway(TempDir dataDir) : base(new Dictionary<string, string?>
    {
        ["DataDir"] = dataDir.Path,
        ["Admin:ApiKey"] = AdminKey,
        ["Issuer:Key"] = "000102030405060708090a0b0c0d0e0f",
        ["Gateway:PublicUrl"] = "http://localhost",
        ["Lightning:ConnectionString"] = "type=simulated;network=regtest;unknownpayees=succeed;delay=0ms;holdfor=2s",
        ["Payments:CallbackWait"] = "00:00:01",
    }, node: null) => _dataDir = dataDir;

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>A card created by UID with deterministic keys and <paramref name="sat"/> on it.</summary>
    public async Task<DemoCard> CreateCardAsync(long sat)
    {
        using var admin = Admin();
        var uid = "04" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        var created = await admin.PostAsJsonAsync("/api/v1/cards", new { name = "pos test", uid });
        created.EnsureSuccessStatusCode();
        var json = await created.Content.ReadFromJsonAsync<JsonElement>();
        var card = new DemoCard(json.GetProperty("id").GetString()!, uid,
            json.GetProperty("keys").GetProperty("k1").GetString()!, json.GetProperty("keys").GetProperty("k2").GetString()!);
        (await admin.PostAsJsonAsync($"/api/v1/cards/{card.Id}/credit", new { amountSat = sat })).EnsureSuccessStatusCode();
        return card;
    }

    public async Task<long> BalanceMsatAsync(string cardId)
    {
        using var admin = Admin();
        return (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/cards/{cardId}")).GetProperty("balanceMsat").GetInt64();
    }

    public async Task<string> LatestWithdrawalStateAsync(string cardId)
    {
        using var admin = Admin();
        var list = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/cards/{cardId}/withdrawals");
        return list[0].GetProperty("state").GetString()!;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            _dataDir.Dispose();
    }
}

public sealed record DemoCard(string Id, string Uid, string K1, string K2)
{
    public Uri Tap(uint counter) => TapSource.FromVirtualCard(new Uri("http://localhost"), Uid, K1, K2, counter);
}
