using System.Diagnostics;
using System.Text.Json;

namespace BoltGate.Bench;

/// <summary>What a run measured: completed operations per second over the run's wall time, and latency percentiles.</summary>
internal sealed class Latencies
{
    private readonly List<double> _ms = [];
    private readonly object _lock = new();

    public void Add(long startTimestamp)
    {
        var ms = Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
        lock (_lock)
            _ms.Add(ms);
    }

    public int Count
    {
        get
        {
            lock (_lock)
                return _ms.Count;
        }
    }

    public double Percentile(double p)
    {
        lock (_lock)
        {
            if (_ms.Count == 0)
                return double.NaN;
            var sorted = _ms.Order().ToArray();
            var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
        }
    }

    public static void Print(string name, TimeSpan elapsed, Latencies ok, int errors, Dictionary<string, object>? more = null)
    {
        var line = new Dictionary<string, object>
        {
            ["run"] = name,
            ["ok"] = ok.Count,
            ["errors"] = errors,
            ["seconds"] = Math.Round(elapsed.TotalSeconds, 3),
            ["per_second"] = Math.Round(ok.Count / Math.Max(elapsed.TotalSeconds, 1e-9), 1),
            ["p50_ms"] = Math.Round(ok.Percentile(50), 2),
            ["p99_ms"] = Math.Round(ok.Percentile(99), 2),
        };
        foreach (var (k, v) in more ?? [])
            line[k] = v;
        foreach (var (k, v) in line.ToList())
        {
            if (v is double d && !double.IsFinite(d))
                line[k] = null!; // nothing measured
        }
        Console.WriteLine(JsonSerializer.Serialize(line));
        Console.Out.Flush();
    }

    /// <summary>Runs <paramref name="jobs"/> on <paramref name="concurrency"/> workers; returns the wall time.</summary>
    public static async Task<TimeSpan> RunAsync<T>(IReadOnlyList<T> jobs, int concurrency, Func<T, Task> work)
    {
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, jobs.Count)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < jobs.Count)
                await work(jobs[i]).ConfigureAwait(false);
        })).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started);
    }

    public static HttpClient Client(string url, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    })
    { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
}
