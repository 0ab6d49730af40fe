using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BoltGate.Core.Money;

namespace BoltGate.Bench;

/// <summary>
/// Against the npm lnurl server: its withdraw flow as a wallet meets it. Each tap is a fresh signed withdraw URL
/// (lnurl-offline's scheme: HMAC-SHA256 under the API key over the sorted query), which the server turns into a
/// one-time k1 stored in its SQLite database on the first GET; the callback takes k1 + pr and has its dummy
/// backend pay the invoice.
/// </summary>
internal static class PeerRun
{
    public static async Task<int> RunAsync(Args a)
    {
        var mode = a.Get("mode");
        var count = a.Int("count", 1000);
        var concurrency = a.Int("concurrency", 50);
        var keyId = a.Get("key-id");
        var key = Convert.FromHexString(a.Get("key"));
        using var http = Latencies.Client(a.Get("url"), concurrency + 4);

        var jobs = Enumerable.Range(0, count)
            .Select(_ => new Job(SignedUrl(keyId, key), mode == "flow" ? Invoices.Pays(Msat.FromSat(10)) : "")).ToList();
        var taps = new Latencies();
        var flows = new Latencies();
        var errors = 0;
        string? firstError = null;
        void Error(string what)
        {
            Interlocked.Increment(ref errors);
            Interlocked.CompareExchange(ref firstError, what, null);
        }

        var elapsed = await Latencies.RunAsync(jobs, concurrency, async job =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var tapped = await http.GetAsync(job.Url).ConfigureAwait(false);
                var offer = await tapped.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
                if (!offer.TryGetProperty("k1", out var k1))
                {
                    Error("tap: " + offer);
                    return;
                }
                taps.Add(started);
                if (mode != "flow")
                    return;
                using var called = await http.GetAsync($"/lnurl?k1={k1.GetString()}&pr={job.Invoice}").ConfigureAwait(false);
                var answer = await called.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
                if (answer.TryGetProperty("status", out var status) && status.GetString() == "OK")
                    flows.Add(started);
                else
                    Error("callback: " + answer);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                Error(e.GetType().Name + ": " + e.Message);
            }
        }).ConfigureAwait(false);

        var more = new Dictionary<string, object> { ["concurrency"] = concurrency };
        if (firstError is not null)
            more["first_error"] = firstError;
        if (mode == "flow")
        {
            more["tap_p50_ms"] = Math.Round(taps.Percentile(50), 2);
            Latencies.Print("peer-flow", elapsed, flows, errors, more);
        }
        else
        {
            Latencies.Print("peer-tap", elapsed, taps, errors, more);
        }
        return errors == 0 ? 0 : 1;
    }

    /// <summary>A signed withdraw URL: the query's keys sorted, HMAC-SHA256 of that query string, appended as signature.</summary>
    private static string SignedUrl(string keyId, byte[] key)
    {
        var query = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["defaultDescription"] = "bench",
            ["id"] = keyId,
            ["maxWithdrawable"] = "100000000",
            ["minWithdrawable"] = "1000",
            ["nonce"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)),
            ["tag"] = "withdrawRequest",
        };
        var payload = string.Join("&", query.Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value)));
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payload)));
        return "/lnurl?" + payload + "&signature=" + signature;
    }

    private sealed record Job(string Url, string Invoice);
}
