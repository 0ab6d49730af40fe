using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using BoltGate.Client;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Sun;
using BoltGate.Lightning.Simulated;
using BoltGate.Payments;
using BoltGate.Storage;
using BoltGate.Testing;
using BoltGate.Testing.Databases;

namespace BoltGate.LoadRun;

// refund-latency: N card payments that fail definitively (payees "rejects": the payee refuses the HTLC
// after 300 ms, and "broke": no liquidity, at once), C at a time, through the in-process gateway on SQLite.
// For each: node failure -> refund committed (engine histogram), -> refund visible in GET
// /api/v1/cards/{id}/withdrawals (a poller per payment), -> ERROR answer to the POS.
internal static class RefundLatencyRun
{
    public static async Task<int> Main(string[] args)
    {
        var n = Arg(args, "--payments", 400);
        var concurrency = Arg(args, "--concurrency", 64);
        var pollMs = Arg(args, "--poll-ms", 0);
        const string adminKey = "load-run-admin-key-0123456789abcdef";

        using var dataDir = new TempDir("boltgate-load-");
        var network = new SimulatedNetwork(BitcoinNetwork.Regtest, TimeProvider.System);
        network.AddStandardPayees();
        var node = new TimingNode(new SimulatedNode(network));
        // --postgres: run on a fresh database of the server that BOLTGATE_TEST_POSTGRES names
        // (scripts/deps/postgres.sh), instead of the default SQLite file.
        await using var database = await TestDatabase.CreateAsync(args.Contains("--postgres") ? StorageProvider.Postgres : StorageProvider.Sqlite);
        var settings = new Dictionary<string, string?>
        {
            ["DataDir"] = dataDir.Path,
            ["Storage:Provider"] = database.Provider == StorageProvider.Postgres ? "postgres" : "sqlite",
            ["Storage:ConnectionString"] = database.ConnectionString,
            ["Admin:ApiKey"] = adminKey,
            ["Issuer:Key"] = "00000000000000000000000000000001",
            ["Gateway:PublicUrl"] = "https://pay.example.test",
            ["Logging:LogLevel:Default"] = "Warning",
        };

        var commitMs = new ConcurrentBag<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PaymentMetrics.MeterName && instrument.Name == PaymentMetrics.RefundCommitInstrument)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => commitMs.Add(value));
        listener.Start();

        GatewayFactory.UseOutputFolderAsContentRoot();
        await using var gateway = new GatewayFactory(settings, node);
        using var admin = new BoltGateClient(gateway.CreateClient(), adminKey, ownsHttp: true);
        using var lnurl = gateway.CreateClient();

        Console.WriteLine($"preparing {n} cards, taps and invoices ...");
        var jobs = new List<Job>();
        for (var i = 0; i < n; i++)
        {
            var uid = "04" + Convert.ToHexStringLower(BitConverter.GetBytes(0x1000_0000L + i).AsSpan(0, 6));
            var created = await admin.CreateCardAsync(new CreateCardRequest("load " + i, uid), CancellationToken.None);
            var id = created.Id;
            await admin.CreditAsync(id, 10_000, null, CancellationToken.None);
            var (p, c) = SunGenerator.Create(Hex.Decode(created.Keys.K1), Hex.Decode(created.Keys.K2), CardUid.Parse(uid), 1);
            var offer = await lnurl.GetFromJsonAsync<JsonElement>($"/ln?p={p}&c={c}");
            var payee = i % 2 == 0 ? "rejects" : "broke";
            var invoice = network.CreatePayeeInvoice(payee, Msat.FromSat(1_000));
            var hash = ((Bolt11DecodeResult.Ok)Bolt11Decoder.Decode(invoice)).Invoice.PaymentHash;
            jobs.Add(new Job(id, offer.GetProperty("k1").GetString()!, invoice, hash, payee));
        }

        Console.WriteLine($"running {n} failing payments, {concurrency} at a time ...");
        var visibleMs = new ConcurrentBag<double>();
        var answerMs = new ConcurrentBag<double>();
        var callbackMs = new ConcurrentBag<double>();
        var getMs = new ConcurrentBag<double>();
        var wrong = 0;
        using var gate = new SemaphoreSlim(concurrency);
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(jobs.Select(async job =>
        {
            await gate.WaitAsync();
            try
            {
                using var pos = gateway.CreateClient();
                using var watcher = new BoltGateClient(gateway.CreateClient(), adminKey, ownsHttp: true);
                using var stop = new CancellationTokenSource();
                var sent = Stopwatch.GetTimestamp();
                var poll = WatchAsync(watcher, job, stop.Token);
                var response = await pos.GetAsync($"/ln/callback?k1={job.K1}&pr={job.Invoice}");
                var answered = Stopwatch.GetTimestamp();
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                callbackMs.Add(Stopwatch.GetElapsedTime(sent, answered).TotalMilliseconds);
                if (body.GetProperty("status").GetString() != "ERROR" || !body.GetProperty("reason").GetString()!.Contains("not charged", StringComparison.Ordinal))
                    Interlocked.Increment(ref wrong);
                var seen = await poll.WaitAsync(TimeSpan.FromSeconds(30));
                var failed = node.FailedAt(job.Hash);
                if (failed.IsCompletedSuccessfully)
                {
                    answerMs.Add(Stopwatch.GetElapsedTime(failed.Result, answered).TotalMilliseconds);
                    visibleMs.Add(Stopwatch.GetElapsedTime(failed.Result, seen).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref wrong);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        wall.Stop();

        // Every card must have its 10 000 sat back, exactly once.
        var notRefunded = 0;
        foreach (var job in jobs)
        {
            var card = await admin.GetCardAsync(job.CardId, CancellationToken.None);
            if (card.BalanceMsat != 10_000_000)
                notRefunded++;
        }

        Console.WriteLine();
        Console.WriteLine($"payments: {n} ({n / 2} rejects, {n - n / 2} broke), concurrency {concurrency}, poll every {pollMs} ms, {Environment.ProcessorCount} cores, storage {settings["Storage:Provider"]}");
        Console.WriteLine($"wall time: {wall.Elapsed.TotalSeconds:0.00} s ({n / wall.Elapsed.TotalSeconds:0} failing payments/s); wrong answers: {wrong}; cards not refunded to the msat: {notRefunded}");
        Console.WriteLine();
        Console.WriteLine("| measure (ms) | count | p50 | p95 | p99 | max |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Row("node failure -> refund committed", commitMs);
        Row("node failure -> refund visible in admin API", visibleMs);
        Row("node failure -> ERROR answered to the POS", answerMs);
        Row("duration of the admin GET that first showed the refund", getMs);
        Row("whole callback (tap to answer, incl. payee's 300 ms for rejects)", callbackMs);
        return wrong == 0 && notRefunded == 0 ? 0 : 1;

        async Task<long> WatchAsync(BoltGateClient client, Job job, CancellationToken ct)
        {
            // Poll only from the node's failure on (polling all along would load the box and skew every number).
            await node.FailedAt(job.Hash).WaitAsync(ct);
            while (true)
            {
                var asked = Stopwatch.GetTimestamp();
                foreach (var w in await client.ListWithdrawalsAsync(job.CardId, ct))
                {
                    if (w.State == "Failed")
                    {
                        getMs.Add(Stopwatch.GetElapsedTime(asked).TotalMilliseconds);
                        return Stopwatch.GetTimestamp();
                    }
                }
                if (pollMs > 0)
                    await Task.Delay(pollMs, ct);
            }
        }

        static void Row(string name, ConcurrentBag<double> values)
        {
            var sorted = values.OrderBy(v => v).ToArray();
            if (sorted.Length == 0)
            {
                Console.WriteLine($"| {name} | 0 | | | | |");
                return;
            }
            double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {sorted.Length} | {P(0.50):0.0} | {P(0.95):0.0} | {P(0.99):0.0} | {sorted[^1]:0.0} |"));
        }

        static int Arg(string[] args, string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }
    }
}

internal sealed record Job(string CardId, string K1, string Invoice, Bytes32 Hash, string Payee);
