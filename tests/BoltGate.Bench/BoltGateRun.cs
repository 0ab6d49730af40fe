using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BoltGate.Core.Keys;
using BoltGate.Core.Money;
using BoltGate.Core.Sun;

namespace BoltGate.Bench;

/// <summary>
/// Against a BoltGate server: creates cards through the admin API, builds one real tap per card and counter
/// (SUN p/c from the card's keys), and runs either the first step (GET /ln) or the whole withdrawal (tap,
/// callback with a signed invoice, payment, settlement). With --fail-every F every F-th flow pays a payee
/// that fails definitively: its callback answers ERROR only after the refund committed, so its latency is
/// "node failure -> refund visible" under the load of the others.
/// </summary>
internal static class BoltGateRun
{
    private static readonly Msat Amount = Msat.FromSat(10);

    public static async Task<int> RunAsync(Args a)
    {
        var mode = a.Get("mode");
        var cards = a.Int("cards", 200);
        var perCard = a.Int("per-card", 5);
        var concurrency = a.Int("concurrency", 50);
        var failEvery = a.Int("fail-every", 0);
        var firstCounter = a.Int("first-counter", 1);
        using var http = Latencies.Client(a.Get("url"), concurrency + 4);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", a.Get("admin-key"));

        var prefix = a.Get("uid-prefix", "b0");
        if (mode == "create")
        {
            // Outside the measured runs (which then pass --existing yes), so the server's CPU time counts only them.
            var createdAt = System.Diagnostics.Stopwatch.GetTimestamp();
            await CreateCardsAsync(http, cards, prefix, concurrency).ConfigureAwait(false);
            Console.WriteLine($"{{\"run\":\"create\",\"cards\":{cards},\"seconds\":{System.Diagnostics.Stopwatch.GetElapsedTime(createdAt).TotalSeconds:F1}}}");
            return 0;
        }
        var made = IsExisting(a)
            ? ExistingCards(Convert.FromHexString(a.Get("issuer-key")), cards, prefix)
            : await CreateCardsAsync(http, cards, prefix, concurrency).ConfigureAwait(false);
        var jobs = new List<Job>();
        for (var counter = 0; counter < perCard; counter++)
        {
            foreach (var card in made)
            {
                var (p, c) = SunGenerator.Create(card.K1, card.K2, card.Uid, (uint)(firstCounter + counter));
                var fails = failEvery > 0 && jobs.Count % failEvery == failEvery - 1;
                var invoice = mode == "flow" ? (fails ? Invoices.Fails(Amount) : Invoices.Pays(Amount)) : "";
                jobs.Add(new Job($"/ln?p={p}&c={c}", invoice, fails));
            }
        }

        if (a.Int("sample", 0) is > 0 and var sample && sample < jobs.Count)
            jobs = jobs[..sample];
        var label = a.Get("label", "");
        var taps = new Latencies();
        var flows = new Latencies();
        var refunds = new Latencies();
        var errors = 0;
        string? firstError = null;
        void Error(string what)
        {
            Interlocked.Increment(ref errors);
            Interlocked.CompareExchange(ref firstError, what, null);
        }

        var refundsBefore = mode == "flow" ? await RefundHistogram.ReadAsync(http).ConfigureAwait(false) : null;
        var elapsed = await Latencies.RunAsync(jobs, concurrency, async job =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var offer = await http.GetFromJsonAsync<JsonElement>(job.TapPath).ConfigureAwait(false);
                if (!offer.TryGetProperty("k1", out var k1))
                {
                    Error("tap: " + offer);
                    return;
                }
                taps.Add(started);
                if (mode != "flow")
                    return;
                var callbackStarted = Stopwatch.GetTimestamp();
                // An ERROR may come with a 4xx status (the gateway's option); the body says what happened.
                using var called = await http.GetAsync($"/ln/callback?k1={k1.GetString()}&pr={job.Invoice}").ConfigureAwait(false);
                var answer = await called.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
                var status = answer.GetProperty("status").GetString();
                if (job.Fails && status == "ERROR")
                    refunds.Add(callbackStarted);
                else if (!job.Fails && status == "OK" && !answer.TryGetProperty("reason", out _))
                    flows.Add(started);
                else
                    Error("callback: " + answer);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                Error(e.GetType().Name + ": " + e.Message);
            }
        }).ConfigureAwait(false);

        var more = new Dictionary<string, object> { ["cards"] = cards, ["concurrency"] = concurrency };
        if (firstError is not null)
            more["first_error"] = firstError;
        if (mode == "flow")
        {
            more["tap_p50_ms"] = Math.Round(taps.Percentile(50), 2);
            more["refunds"] = refunds.Count;
            more["refund_p50_ms"] = Math.Round(refunds.Percentile(50), 2);
            more["refund_p99_ms"] = Math.Round(refunds.Percentile(99), 2);
            // The gateway's histogram: node failure -> refund committed (a bucket bound, not an exact figure).
            more["refund_commit_p99_le_ms"] = RefundHistogram.P99Bound(refundsBefore!, await RefundHistogram.ReadAsync(http).ConfigureAwait(false));
            Latencies.Print("boltgate-flow" + (label == "" ? "" : "-" + label), elapsed, flows, errors, more);
        }
        else
        {
            Latencies.Print("boltgate-tap" + (label == "" ? "" : "-" + label), elapsed, taps, errors, more);
        }
        return errors == 0 ? 0 : 1;
    }

    private static async Task<List<Card>> CreateCardsAsync(HttpClient http, int n, string uidPrefix, int concurrency)
    {
        var cards = new Card?[n];
        await Latencies.RunAsync(Enumerable.Range(0, n).ToList(), concurrency, async i =>
        {
            var uid = CardUid.Parse(uidPrefix + i.ToString("x12", System.Globalization.CultureInfo.InvariantCulture));
            var created = await http.PostAsJsonAsync("/api/v1/cards", new { name = "bench " + i, uid = uid.Hex }).ConfigureAwait(false);
            created.EnsureSuccessStatusCode();
            var card = await created.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
            var id = card.GetProperty("id").GetString()!;
            var keys = card.GetProperty("keys");
            (await http.PostAsJsonAsync($"/api/v1/cards/{id}/credit", new { amountSat = 1_000_000 }).ConfigureAwait(false)).EnsureSuccessStatusCode();
            cards[i] = new Card(uid, Convert.FromHexString(keys.GetProperty("k1").GetString()!), Convert.FromHexString(keys.GetProperty("k2").GetString()!));
        }).ConfigureAwait(false);
        return [.. cards.Select(c => c!)];
    }

    private static bool IsExisting(Args a) => a.Get("existing", "no") != "no";

    /// <summary>Cards already in the database (deterministic keys from the issuer key).</summary>
    private static List<Card> ExistingCards(byte[] issuerKey, int n, string uidPrefix) =>
    [
        .. Enumerable.Range(0, n).Select(i =>
        {
            var uid = CardUid.Parse(uidPrefix + i.ToString("x12", System.Globalization.CultureInfo.InvariantCulture));
            var keys = DeterministicKeys.Derive(issuerKey, uid, 1);
            return new Card(uid, keys.K1.ToArray(), keys.K2.ToArray());
        }),
    ];

    private sealed record Card(CardUid Uid, byte[] K1, byte[] K2);

    private sealed record Job(string TapPath, string Invoice, bool Fails);
}
