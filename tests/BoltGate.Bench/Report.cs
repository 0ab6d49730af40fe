using System.Globalization;
using System.Text;
using System.Text.Json;

namespace BoltGate.Bench;

/// <summary>
/// Turns one run's JSON lines into the results file: the machine, then every figure with BoltGate's value,
/// the peer's, their ratio (all from this run) and the issue's target; optionally the same table into the
/// README between its bench markers.
/// </summary>
internal static class Report
{
    private const string Begin = "<!-- bench:begin -->";
    private const string End = "<!-- bench:end -->";

    public static int Run(Args a)
    {
        var runs = File.ReadAllLines(a.Get("runs")).Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        JsonElement? Find(string name) => runs.Cast<JsonElement?>().FirstOrDefault(r => r!.Value.GetProperty("run").GetString() == name);
        double Value(string run, string field) => Find(run) is { } r && r.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble() : double.NaN;
        double Rss(string server) => runs.Where(r => r.GetProperty("run").GetString() == "rss" && r.GetProperty("server").GetString() == server)
            .Select(r => r.GetProperty("peak_rss_mb").GetDouble()).DefaultIfEmpty(double.NaN).Max();

        // The server's CPU time during a run (utime + stime from /proc), per completed operation.
        double CpuPer(string run) => runs.FirstOrDefault(r => r.GetProperty("run").GetString() == "cpu"
                && r.GetProperty("of").GetString() == run) is { ValueKind: JsonValueKind.Object } cpu
            ? cpu.GetProperty("server_cpu_ms").GetDouble() / Math.Max(1, Value(run, "ok") + (Find(run) is { } f
                && f.TryGetProperty("refunds", out var refunds) ? refunds.GetDouble() : 0))
            : double.NaN;

        var rows = new List<string[]>
        {
            Row("First step (tap -> withdrawRequest), req/s, c=" + Conc(Find("boltgate-tap-sqlite")), Value("boltgate-tap-sqlite", "per_second"),
                Value("peer-tap", "per_second"), "≥ 10× the peer"),
            Row("First step p99, ms", Value("boltgate-tap-sqlite", "p99_ms"), Value("peer-tap", "p99_ms"), "< 10 ms"),
            Row("Full withdrawal on SQLite, flows/s", Value("boltgate-flow-sqlite", "per_second"), Value("peer-flow", "per_second"),
                "≥ 3× the peer"),
            Row("Full withdrawal on SQLite p99, ms", Value("boltgate-flow-sqlite", "p99_ms"), Value("peer-flow", "p99_ms"), ""),
            Row("Full withdrawal on PostgreSQL (durable), flows/s", Value("boltgate-flow-postgres", "per_second"), double.NaN, "≥ 1,000"),
            Row("Fast-fail refund under load, SQLite: node failure -> refund committed, p99 ≤ (histogram bucket), ms",
                Value("boltgate-flow-sqlite", "refund_commit_p99_le_ms"), double.NaN, "≤ 50 ms"),
            Row("Fast-fail refund under load, PostgreSQL: node failure -> refund committed, p99 ≤ (histogram bucket), ms",
                Value("boltgate-flow-postgres", "refund_commit_p99_le_ms"), double.NaN, "≤ 50 ms"),
            Row("Failing callback under load, SQLite: request -> ERROR (refund committed), p99 ms",
                Value("boltgate-flow-sqlite", "refund_p99_ms"), double.NaN, ""),
            Row("Failing callback under load, PostgreSQL: request -> ERROR (refund committed), p99 ms",
                Value("boltgate-flow-postgres", "refund_p99_ms"), double.NaN, ""),
            Row("Tap p50 at c=1, 1,000 cards, ms", Value("boltgate-tap-cards-1k", "p50_ms"), double.NaN, ""),
            Row($"Tap p50 at c=1, {Value("seed-sqlite", "cards") + 1000:N0} cards, ms (ratio: vs 1,000 cards)",
                Value("boltgate-tap-cards-big", "p50_ms"), double.NaN, "≈ 1.00× of 1,000",
                ratio: Value("boltgate-tap-cards-big", "p50_ms") / Value("boltgate-tap-cards-1k", "p50_ms")),
            Row("Server CPU per first step, ms", CpuPer("boltgate-tap-sqlite"), CpuPer("peer-tap"), ""),
            Row("Server CPU per full withdrawal on SQLite, ms", CpuPer("boltgate-flow-sqlite"), CpuPer("peer-flow"), ""),
            Row("Server CPU per full withdrawal on PostgreSQL, ms (gateway only)", CpuPer("boltgate-flow-postgres"), double.NaN, ""),
            Row("Peak RSS, MB (SQLite server / peer)", Rss("boltgate-sqlite"), Rss("peer"), "≤ 150 MB", ratio: double.NaN),
            Row("Peak RSS, MB (PostgreSQL server)", Rss("boltgate-postgres"), double.NaN, "≤ 150 MB"),
            Row($"Peak RSS, MB ({Value("seed-sqlite", "cards") + 1000:N0}-card server)", Rss("boltgate-big"), double.NaN, "≤ 150 MB"),
        };

        var table = new StringBuilder();
        table.AppendLine($"Measured {a.Get("stamp")} UTC on {a.Get("nproc")} cores ({a.Get("cpu")}); load average before {a.Get("load-before")}, " +
            $"after {a.Get("load-after")}. Server pinned to core 0, loader to core 1; BoltGate and the peer (npm lnurl 0.27, SQLite " +
            $"store, dummy backend) in the same run. PostgreSQL: {a.Get("pg")}.");
        table.AppendLine();
        table.AppendLine("| Figure | BoltGate | Peer | Ratio | Target |");
        table.AppendLine("|---|---:|---:|---:|---|");
        foreach (var r in rows)
            table.AppendLine("| " + string.Join(" | ", r) + " |");

        var doc = new StringBuilder();
        doc.AppendLine($"# Bench {a.Get("stamp")}{(a.Get("smoke", "0") == "1" ? " (smoke: tiny counts, figures mean nothing)" : "")}");
        doc.AppendLine();
        doc.Append(table);
        doc.AppendLine();
        doc.AppendLine("Produced by `scripts/bench.sh`. Every run's line as the loader printed it:");
        doc.AppendLine();
        doc.AppendLine("```");
        foreach (var r in runs)
            doc.AppendLine(r.GetRawText());
        doc.AppendLine("```");
        File.WriteAllText(a.Get("out"), doc.ToString());

        if (a.Get("readme", "") is { Length: > 0 } readme)
        {
            var text = File.ReadAllText(readme);
            var begin = text.IndexOf(Begin, StringComparison.Ordinal);
            var end = text.IndexOf(End, StringComparison.Ordinal);
            if (begin < 0 || end < begin)
                throw new InvalidOperationException($"{readme} has no {Begin} ... {End} section for the table.");
            var link = $"From [bench/results/{Path.GetFileName(a.Get("out"))}](bench/results/{Path.GetFileName(a.Get("out"))}):";
            text = text[..(begin + Begin.Length)] + "\n" + link + "\n\n" + table + text[end..];
            File.WriteAllText(readme, text);
        }
        Console.Write(table);
        return 0;
    }

    private static string Conc(JsonElement? run) =>
        run is { } r && r.TryGetProperty("concurrency", out var c) ? c.GetRawText() : "?";

    private static string[] Row(string figure, double ours, double peer, string target, double? ratio = null)
    {
        var r = ratio ?? (double.IsNaN(peer) ? double.NaN : ours / peer);
        return [figure, Show(ours), Show(peer), double.IsNaN(r) ? "" : r.ToString("0.00", CultureInfo.InvariantCulture) + "×", target];
    }

    private static string Show(double v) => double.IsNaN(v) ? "—" : v.ToString(v >= 100 ? "N0" : "0.0#", CultureInfo.InvariantCulture);
}
