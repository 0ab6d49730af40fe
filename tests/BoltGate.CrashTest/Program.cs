using System.Globalization;
using System.Text;
using BoltGate.CrashTest;
using BoltGate.Storage;
using BoltGate.Testing;

// dotnet run --project tests/BoltGate.CrashTest -c Release -- [--withdrawals 1000] [--kills 20] [--seed N] [--only sqlite/lnd/FastFail]
// Needs BOLTGATE_TEST_POSTGRES (scripts/deps/postgres.sh) for the PostgreSQL runs. Writes tests/BoltGate.CrashTest/RESULTS.md.
var withdrawals = Arg("--withdrawals", 1000);
var kills = Arg("--kills", 20);
var seed = Arg("--seed", Environment.TickCount & 0xffff);
var only = Value("--only");

(StorageProvider, CrashBackend, bool)[] matrix =
[
    (StorageProvider.Sqlite, CrashBackend.Lnd, false),
    (StorageProvider.Postgres, CrashBackend.CoreLightning, false),
    (StorageProvider.Sqlite, CrashBackend.CoreLightning, true),
    (StorageProvider.Postgres, CrashBackend.Lnd, true),
];
var reports = new List<CrashReport>();
foreach (var (provider, backend, graded) in matrix)
{
    var options = new CrashRunOptions
    {
        Provider = provider,
        Backend = backend,
        GradedRetry = graded,
        Withdrawals = withdrawals,
        Kills = kills,
        Cards = Math.Max(16, withdrawals / 20),
        Concurrency = 8,
        Seed = seed,
        Log = line => Console.WriteLine(line),
    };
    if (only is not null && options.Name != only)
        continue;
    var report = await new CrashRun(options).RunAsync();
    reports.Add(report);
    Console.WriteLine(report.Line);
    foreach (var v in report.Violations.Take(20))
        Console.WriteLine("  " + v);
}

// One section per run, newest first, under the file's own introduction (everything before its first "## ").
var md = new StringBuilder();
md.AppendLine(CultureInfo.InvariantCulture,
    $"## {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {withdrawals} withdrawals, {kills} kills per run (seed {seed}, `--withdrawals {withdrawals} --kills {kills} --seed {seed}`)");
md.AppendLine();
md.AppendLine("| run | result | callbacks | reserved | kills | succeeded | failed | still in flight | node starts | most starts of one hash | credits = balances + settled + fees + held (msat) | violations | time |");
md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
foreach (var r in reports)
{
    md.AppendLine(CultureInfo.InvariantCulture,
        $"| {r.Name} | {(r.Passed ? "PASS" : "FAIL")} | {r.Submitted} | {r.Reserved} | {r.Kills} | {r.Succeeded} | {r.Failed} | {r.StillInFlight} | {r.NodeStarts} | {r.MostStartsOfOneHash} | {r.CreditedMsat} = {r.BalancesMsat} + {r.SettledMsat} + {r.FeesMsat} + {r.HeldMsat} | {r.Violations.Count} | {r.Elapsed.TotalSeconds:F0} s |");
}
foreach (var r in reports.Where(r => !r.Passed))
{
    md.AppendLine();
    md.AppendLine(CultureInfo.InvariantCulture, $"Violations of {r.Name}:");
    foreach (var v in r.Violations)
        md.AppendLine("- " + v);
}
md.AppendLine();
if (only is null)
{
    var path = Path.Combine(SharedFiles.RepoRoot, "tests", "BoltGate.CrashTest", "RESULTS.md");
    var old = File.Exists(path) ? await File.ReadAllTextAsync(path) : "# Crash test results\n\n";
    var firstSection = old.IndexOf("\n## ", StringComparison.Ordinal);
    var head = firstSection < 0 ? old.TrimEnd() + "\n\n" : old[..(firstSection + 1)];
    var history = firstSection < 0 ? "" : old[(firstSection + 1)..];
    await File.WriteAllTextAsync(path, head + md + history);
}
Console.WriteLine(md.ToString());
return reports.All(r => r.Passed) ? 0 : 1;

int Arg(string name, int fallback) =>
    Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? Value(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
