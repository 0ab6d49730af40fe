using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Sun;
using BoltGate.Lightning;
using BoltGate.Lightning.Simulated;
using BoltGate.Storage;
using BoltGate.Testing.Databases;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BoltGate.Server.Tests;

/// <summary>
/// The gateway in-process on its own DataDir and database, with a fake clock and the simulated
/// Lightning network (on the real clock, so its payees answer without the test moving time).
/// </summary>
public sealed class GatewayHost : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";
    public const string IssuerKeyHex = "00000000000000000000000000000001";

    private readonly Dictionary<string, string?> _settings;

    private GatewayHost(TestDatabase database, Dictionary<string, string?> extra)
    {
        Database = database;
        DataDir = Directory.CreateTempSubdirectory("boltgate-data-").FullName;
        Lightning.AddStandardPayees();
        Lightning.AddPayee("shop", new PayeeBehavior.Succeed(TimeSpan.FromMilliseconds(10), new Msat(1_000)));
        _settings = new Dictionary<string, string?>
        {
            ["DataDir"] = DataDir,
            ["Storage:Provider"] = database.Provider == StorageProvider.Sqlite ? "sqlite" : "postgres",
            ["Storage:ConnectionString"] = database.ConnectionString,
            ["Admin:ApiKey"] = AdminKey,
            ["Issuer:Key"] = IssuerKeyHex,
            ["Gateway:PublicUrl"] = "https://pay.example.test",
            // These tests assert the catalog's statuses; the default (200 + ERROR body) has its own tests.
            ["Lnurl:ErrorStatus"] = "http4xx",
        };
        foreach (var (k, v) in extra)
            _settings[k] = v;
    }

    public TestDatabase Database { get; }

    public string DataDir { get; }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public SimulatedNetwork Lightning { get; } = new(BitcoinNetwork.Regtest, TimeProvider.System);

    public static async Task<GatewayHost> StartAsync(StorageProvider provider, Dictionary<string, string?>? settings = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        return new GatewayHost(database, settings ?? []);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<ILightningNode>(new SimulatedNode(Lightning));
        });
    }

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>Creates a card by UID (deterministic keys) and credits it.</summary>
    public async Task<TestCard> CreateCardAsync(long balanceSat, string? uid = null, long? perTapSat = null, long? dailySat = null)
    {
        using var admin = Admin();
        uid ??= "04" + Hex.Lower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        var created = await admin.PostAsJsonAsync("/api/v1/cards", new { name = "test", uid, perTapLimitSat = perTapSat, dailyLimitSat = dailySat });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var json = await created.Content.ReadFromJsonAsync<JsonElement>();
        var card = TestCard.From(json);
        if (balanceSat > 0)
        {
            var credit = await admin.PostAsJsonAsync($"/api/v1/cards/{card.Id}/credit", new { amountSat = balanceSat });
            Assert.Equal(System.Net.HttpStatusCode.OK, credit.StatusCode);
        }
        return card;
    }

    public async Task<JsonElement> GetCardAsync(string id)
    {
        using var admin = Admin();
        return await admin.GetFromJsonAsync<JsonElement>($"/api/v1/cards/{id}");
    }

    public async Task<long> BalanceMsatAsync(string id) => (await GetCardAsync(id)).GetProperty("balanceMsat").GetInt64();

    public async Task<(int Status, JsonElement Body)> GetAsync(string url)
    {
        using var client = CreateClient();
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public Task<(int Status, JsonElement Body)> TapAsync(TestCard card, uint counter)
    {
        var (p, c) = card.Tap(counter);
        return GetAsync($"/ln?p={p}&c={c}");
    }

    public Task<(int Status, JsonElement Body)> CallbackAsync(string k1, string invoice, string? pin = null) =>
        GetAsync($"/ln/callback?k1={k1}&pr={invoice}" + (pin is null ? "" : $"&pin={pin}"));

    /// <summary>Taps and returns the offer's k1 (asserting an offer came back).</summary>
    public async Task<string> OfferAsync(TestCard card, uint counter)
    {
        var (status, body) = await TapAsync(card, counter);
        Assert.True(status == 200, $"tap answered {status}: {body}");
        return body.GetProperty("k1").GetString()!;
    }

    public string Invoice(long sat, string payee = "shop", TimeSpan? expiry = null)
    {
        CatchUpWithRealTime();
        return Lightning.CreatePayeeInvoice(payee, Msat.FromSat(sat), "test", expiry);
    }

    /// <summary>
    /// The gateway's fake clock stands still while the test runs; bring it up to the real clock (never
    /// back) so an invoice stamped "now" by the network is not in the gateway's future.
    /// </summary>
    public void CatchUpWithRealTime()
    {
        var real = DateTimeOffset.UtcNow;
        if (real > Time.GetUtcNow())
            Time.SetUtcNow(real);
    }

    public async Task<IReadOnlyList<string>> LedgerMismatchesAsync()
    {
        var store = Services.GetRequiredService<BoltGateStore>();
        return await store.FindLedgerMismatchesAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A card as the admin API returned it, able to make taps like the chip.</summary>
public sealed record TestCard(string Id, string? Uid, byte[] K1, byte[] K2)
{
    public static TestCard From(JsonElement created)
    {
        var keys = created.GetProperty("keys");
        return new TestCard(created.GetProperty("id").GetString()!, created.GetProperty("uid").GetString(),
            Hex.Decode(keys.GetProperty("k1").GetString()!), Hex.Decode(keys.GetProperty("k2").GetString()!));
    }

    public (string P, string C) Tap(uint counter) => SunGenerator.Create(K1, K2, CardUid.Parse(Uid!), counter);
}
