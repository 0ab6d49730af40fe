using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Lightning.Fakes.Lnd;
using BoltGate.Lightning.Simulated;
using BoltGate.Testing.Databases;

namespace BoltGate.Server.Tests;

/// <summary>
/// Fail-over (issue 16, item 2): two real server processes on one PostgreSQL with the LND fake in this
/// process. Instance A takes four withdrawals whose HTLCs the node holds in flight, renews their leases,
/// and is SIGKILLed mid-payment; instance B (default lease settings) must take them over and finish every
/// one within 15 s of the kill, with each payment hash sent once.
/// </summary>
[Trait(Category.Name, Category.Process)]
public sealed class FailoverTests : IAsyncLifetime
{
    private const string AdminKey = "failover-admin-key-0123456789abcdef";
    private readonly string _workDir = Directory.CreateTempSubdirectory("boltgate-failover-").FullName;
    private readonly SimulatedNetwork _network = new(BitcoinNetwork.Regtest, TimeProvider.System);
    private LndRestFake _lnd = null!;
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _network.AddPayee("held", new PayeeBehavior.HeldInFlight(TimeSpan.FromSeconds(8), true, new Msat(2_000)));
        _lnd = await LndRestFake.StartAsync(_network);
        _database = await PostgresTestDatabase.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await _lnd.DisposeAsync();
        await _database.DisposeAsync();
        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private ServerProcess Start(string instance) => ServerProcess.Start(_workDir,
        "--Storage:Provider=postgres",
        "--Storage:ConnectionString=" + _database.ConnectionString,
        "--Lightning:ConnectionString=" + _lnd.ConnectionString,
        "--Admin:ApiKey=" + AdminKey,
        "--Issuer:Key=000102030405060708090a0b0c0d0e0f",
        "--Gateway:PublicUrl=http://failover.example.test",
        "--Payments:CallbackWait=00:00:01",
        "--Payments:InstanceId=" + instance);

    [Fact(Timeout = 120_000)]
    public async Task When_one_of_two_instances_dies_mid_payment_the_other_finishes_its_payments_within_15_seconds()
    {
        var a = Start("failover-a");
        var killed = false;
        try
        {
            await FailOverAsync(a, () => killed = true);
        }
        finally
        {
            if (!killed)
                a.Dispose();
        }
    }

    private async Task FailOverAsync(ServerProcess a, Action markKilled)
    {
        await a.WaitHealthyAsync();
        using var b = Start("failover-b"); // shares a's data/ keys (same working directory) and the database
        await b.WaitHealthyAsync();
        using var adminA = Admin(a);
        using var adminB = Admin(b);

        var created = await adminA.PostAsJsonAsync("/api/v1/cards", new { name = "failover", uid = "04a39493cc8682" });
        var card = TestCard.From(await created.Content.ReadFromJsonAsync<JsonElement>());
        Assert.True((await adminA.PostAsJsonAsync($"/api/v1/cards/{card.Id}/credit", new { amountSat = 10_000 })).IsSuccessStatusCode);
        var hashes = new List<Bytes32>();
        for (uint i = 1; i <= 4; i++)
        {
            var (p, c) = card.Tap(i);
            var offer = await adminA.GetFromJsonAsync<JsonElement>($"/ln?p={p}&c={c}");
            var invoice = _network.CreatePayeeInvoice("held", Msat.FromSat(1_000));
            hashes.Add(((Bolt11DecodeResult.Ok)Bolt11Decoder.Decode(invoice)).Invoice.PaymentHash);
            var answer = await adminA.GetFromJsonAsync<JsonElement>($"/ln/callback?k1={offer.GetProperty("k1").GetString()}&pr={invoice}");
            Assert.Contains("pending", answer.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
        Assert.All(hashes, h => Assert.False(_network.Find(h)!.IsFinal)); // all four HTLCs are out, driven by a

        a.Dispose(); // SIGKILL mid-payment: a's leases stay in the database until they lapse
        markKilled();
        var killed = Stopwatch.StartNew();
        var withdrawals = await adminB.GetFromJsonAsync<JsonElement>($"/api/v1/cards/{card.Id}/withdrawals");
        var ids = withdrawals.EnumerateArray().Select(w => w.GetProperty("id").GetString()!).ToList();
        Assert.Equal(4, ids.Count);

        while (true)
        {
            var states = new List<string>();
            foreach (var id in ids)
                states.Add((await adminB.GetFromJsonAsync<JsonElement>($"/api/v1/withdrawals/{id}")).GetProperty("withdrawal").GetProperty("state").GetString()!);
            if (states.All(s => s == "Succeeded"))
                break;
            Assert.True(killed.Elapsed < TimeSpan.FromSeconds(15),
                $"15 s after the kill the survivor has not finished: {string.Join(", ", states)}");
            await Task.Delay(200);
        }

        Assert.All(hashes, h => Assert.Equal(1, _network.StartsOf(h)));
        var after = await adminB.GetFromJsonAsync<JsonElement>($"/api/v1/cards/{card.Id}");
        Assert.Equal(Msat.FromSat(10_000).Value - (4 * (Msat.FromSat(1_000).Value + 2_000)), after.GetProperty("balanceMsat").GetInt64());
    }

    private static HttpClient Admin(ServerProcess server)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return http;
    }
}
