using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using BoltGate.Core.Bitcoin;
using BoltGate.Lightning.Simulated;

namespace BoltGate.Testing.Fuzzing;

/// <summary>The result of one fuzz run against the gateway process: what was sent and answered, the money after, the peak RSS.</summary>
public sealed record FuzzOutcome(FuzzReport Report, MoneyCheck Money, long PeakRssKb, TimeSpan Elapsed, int Routes, string ServerStderr, long Retries);

/// <summary>
/// A fuzz run end to end: the routes from the app's own endpoint table, the real gateway process (SQLite,
/// simulated node, dev routes, programming allowed over http), cards with money, PINs and invoices to pay,
/// then <see cref="RequestFuzzer"/>, then the money read from the database after the process is killed.
/// </summary>
public static class FuzzSession
{
    /// <summary>Limits high enough that the fuzzer's one address reaches the gateway's logic; the rate-limit tests cover the limits.</summary>
    public static readonly string[] OpenLimits =
    [
        "--RateLimits:FailedTapsPerAddress=100000000", "--RateLimits:FailedTapsPerCard=100000000", "--RateLimits:FailedCallbacksPerAddress=100000000",
        "--RateLimits:PinFailuresPerAddress=100000000", "--RateLimits:PinFailuresPerCard=100000000", "--RateLimits:AuthFailuresPerAddress=100000000",
        "--RateLimits:LnurlRequestsPerAddress=100000000",
    ];

    public static async Task<FuzzOutcome> RunAsync(int requests, int workers, int seed, IEnumerable<string> serverArgs, TextWriter? log, CancellationToken ct)
    {
        var routes = Routes();
        log?.WriteLine($"routes ({routes.Count}): " + string.Join(", ", routes.Select(r => r.Method + " " + r.Template)));
        using var folder = new TempDir("boltgate-fuzz-");
        using var server = ServerProcess.Start(folder.Path, ["--Gateway:AllowInsecurePublicUrl=true", "--Lightning:ConnectionString=type=simulated", .. serverArgs]);
        await server.WaitHealthyAsync().ConfigureAwait(false);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers * 2 })
        {
            BaseAddress = new Uri(server.Url),
            Timeout = TimeSpan.FromSeconds(60),
        };
        var state = await SeedAsync(server, seed, ct).ConfigureAwait(false);
        var fuzzer = new RequestFuzzer(http, server.AdminKey, routes, state);
        var peak = 0L;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, RssKb(server.ProcessId, "VmHWM"));
                await Task.Delay(500, CancellationToken.None).ConfigureAwait(false);
            }
        }, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        var report = await fuzzer.RunAsync(requests, workers, seed, ct).ConfigureAwait(false);
        clock.Stop();
        await sampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        peak = Math.Max(peak, RssKb(server.ProcessId, "VmHWM"));
        // Let the payments the run started finish, then stop hard: what is in flight must still add up.
        await Task.Delay(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
        var stderr = server.Stdout + server.Stderr;
        server.Kill();
        var money = MoneyCheck.OfSqlite(Path.Combine(folder.Path, "data", "boltgate.db"));
        return new FuzzOutcome(report, money, peak, clock.Elapsed, routes.Count, stderr, fuzzer.Retries);
    }

    /// <summary>Every route the gateway maps with the fuzz run's settings (simulated node: the dev routes too).</summary>
    public static IReadOnlyList<FuzzRoute> Routes()
    {
        using var data = new TempDir("boltgate-fuzz-routes-");
        using var factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["DataDir"] = data.Path,
            ["Lightning:ConnectionString"] = "type=simulated",
            ["Admin:ApiKey"] = "route-listing-key-0123456789abcdef",
        }, new SimulatedNode(new SimulatedNetwork(BitcoinNetwork.Regtest, TimeProvider.System)));
        return FuzzRoute.All(factory.Services);
    }

    private static async Task<FuzzState> SeedAsync(ServerProcess server, int seed, CancellationToken ct)
    {
        var state = new FuzzState();
        var random = new Random(seed);
        using var admin = server.RawAdminClient();
        for (var i = 0; i < 24; i++)
        {
            var uid = "04" + Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())[..6]).ToLowerInvariant();
            using var created = await admin.PostAsJsonAsync("/api/v1/cards", new { name = "fuzz " + i, uid }, ct).ConfigureAwait(false);
            created.EnsureSuccessStatusCode();
            var card = TestCard.From(await created.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false));
            using var credit = await admin.PostAsJsonAsync($"/api/v1/cards/{card.Id}/credit", new { amountSat = 1_000_000 }, ct).ConfigureAwait(false);
            credit.EnsureSuccessStatusCode();
            if (i % 6 == 0)
                (await admin.PutAsJsonAsync($"/api/v1/cards/{card.Id}/pin", new { pin = "1234", pinLimitSat = 500 }, ct).ConfigureAwait(false)).Dispose();
            state.AddCard(card);
        }
        for (var i = 0; i < 200; i++)
        {
            using var invoice = await admin.PostAsJsonAsync("/api/v1/dev/invoices", new { amountSat = random.Next(1, 2_000) }, ct).ConfigureAwait(false);
            invoice.EnsureSuccessStatusCode();
            state.AddInvoice((await invoice.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false)).GetProperty("bolt11").GetString()!);
        }
        for (var i = 0; i < 20; i++)
        {
            using var link = await admin.PostAsJsonAsync("/api/v1/programming-links", new { name = "fuzz link " + i }, ct).ConfigureAwait(false);
            if (link.IsSuccessStatusCode)
                state.Codes.Enqueue((await link.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false)).GetProperty("code").GetString()!);
        }
        return state;
    }

    /// <summary>A field of /proc/&lt;pid&gt;/status in kB (VmHWM: the peak resident set), 0 once the process is gone.</summary>
    public static long RssKb(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
