using System.Text.Json;
using BoltGate.Client;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Sun;
using BoltGate.Lightning.Simulated;
using BoltGate.Storage;
using BoltGate.Testing.Databases;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BoltGate.Testing;

/// <summary>
/// The gateway in-process on its own DataDir and database, with a fake clock and the simulated
/// Lightning network (on the real clock, so its payees answer without the test moving time).
/// </summary>
public sealed class GatewayHost : GatewayFactory
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";
    public const string IssuerKeyHex = "00000000000000000000000000000001";

    private readonly TempDir _dataDir;
    private readonly Lock _clockGate = new();

    private GatewayHost(TestDatabase database, TempDir dataDir, SimulatedNetwork lightning, FakeTimeProvider time, Dictionary<string, string?> extra)
        : base(Settings(database, dataDir, extra), new SimulatedNode(lightning), time)
    {
        Database = database;
        _dataDir = dataDir;
        Lightning = lightning;
        Time = time;
        Lightning.AddStandardPayees();
        Lightning.AddPayee("shop", new PayeeBehavior.Succeed(TimeSpan.FromMilliseconds(10), new Msat(1_000)));
    }

    private static Dictionary<string, string?> Settings(TestDatabase database, TempDir dataDir, Dictionary<string, string?> extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DataDir"] = dataDir.Path,
            ["Storage:Provider"] = database.Provider == StorageProvider.Sqlite ? "sqlite" : "postgres",
            ["Storage:ConnectionString"] = database.ConnectionString,
            ["Admin:ApiKey"] = AdminKey,
            ["Issuer:Key"] = IssuerKeyHex,
            ["Gateway:PublicUrl"] = "https://pay.example.test",
            // These tests assert the catalog's statuses; the default (200 + ERROR body) has its own tests.
            ["Lnurl:ErrorStatus"] = "http4xx",
            // The flow suites judge PIN attempts themselves (bursts of guesses on one card); the per-card and
            // per-address PIN limits have their own tests, which set them low.
            ["RateLimits:PinFailuresPerCard"] = "1000",
            ["RateLimits:PinFailuresPerAddress"] = "1000",
        };
        foreach (var (k, v) in extra)
            settings[k] = v;
        return settings;
    }

    public TestDatabase Database { get; }

    public string DataDir => _dataDir.Path;

    public FakeTimeProvider Time { get; }

    public SimulatedNetwork Lightning { get; }

    public static async Task<GatewayHost> StartAsync(StorageProvider provider, Dictionary<string, string?>? settings = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        return new GatewayHost(database, new TempDir("boltgate-data-"), new SimulatedNetwork(BitcoinNetwork.Regtest, TimeProvider.System),
            new FakeTimeProvider(DateTimeOffset.UtcNow), settings ?? []);
    }

    /// <summary>The typed admin client with the admin key (its HttpClient is disposed with it).</summary>
    public BoltGateClient Admin() => AdminWith(AdminKey);

    /// <summary>The typed admin client with any bearer key.</summary>
    public BoltGateClient AdminWith(string apiKey) => new(CreateClient(), apiKey, ownsHttp: true);

    /// <summary>A raw HttpClient with the admin key, for requests the typed client would not send (malformed ones) and wire checks.</summary>
    public HttpClient RawAdmin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>Creates a card by UID (deterministic keys) and credits it.</summary>
    public async Task<TestCard> CreateCardAsync(long balanceSat, string? uid = null, long? perTapSat = null, long? dailySat = null)
    {
        using var admin = Admin();
        uid ??= "04" + Hex.Lower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        var card = TestCard.From(await admin.CreateCardAsync(new CreateCardRequest("test", uid, perTapSat, dailySat), CancellationToken.None));
        if (balanceSat > 0)
            await admin.CreditAsync(card.Id, balanceSat, null, CancellationToken.None);
        return card;
    }

    public async Task<Card> GetCardAsync(string id)
    {
        using var admin = Admin();
        return await admin.GetCardAsync(id, CancellationToken.None);
    }

    public async Task<long> BalanceMsatAsync(string id) => (await GetCardAsync(id)).BalanceMsat;

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
    /// Tests make invoices from many threads at once, so the check and the move are one step.
    /// </summary>
    public void CatchUpWithRealTime()
    {
        lock (_clockGate)
        {
            var real = DateTimeOffset.UtcNow;
            if (real > Time.GetUtcNow())
                Time.SetUtcNow(real);
        }
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
        _dataDir.Dispose();
    }
}

/// <summary>A card as the admin API returned it, able to make taps like the chip.</summary>
public sealed record TestCard(string Id, string? Uid, byte[] K1, byte[] K2)
{
    public static TestCard From(CardCreated created) =>
        new(created.Id, created.Uid, Hex.Decode(created.Keys.K1), Hex.Decode(created.Keys.K2));

    public static TestCard From(JsonElement created)
    {
        var keys = created.GetProperty("keys");
        return new TestCard(created.GetProperty("id").GetString()!, created.GetProperty("uid").GetString(),
            Hex.Decode(keys.GetProperty("k1").GetString()!), Hex.Decode(keys.GetProperty("k2").GetString()!));
    }

    public (string P, string C) Tap(uint counter) => SunGenerator.Create(K1, K2, CardUid.Parse(Uid!), counter);
}
