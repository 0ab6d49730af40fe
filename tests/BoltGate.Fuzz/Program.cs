using BoltGate.Testing;
using BoltGate.Testing.Fuzzing;

// dotnet run --project tests/BoltGate.Fuzz -c Release -- [requests=100000] [workers=8] [seed=1] [--default-limits]
// Build src/BoltGate.Server (Release) first: the run starts its DLL. Exit code 1 when any rule broke.
var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(int.Parse).ToArray();
var requests = numbers.ElementAtOrDefault(0) is > 0 and var r ? r : 100_000;
var workers = numbers.ElementAtOrDefault(1) is > 0 and var w ? w : 8;
var seed = numbers.ElementAtOrDefault(2) is > 0 and var s ? s : 1;
GatewayFactory.UseOutputFolderAsContentRoot();
var limits = args.Contains("--default-limits") ? [] : FuzzSession.OpenLimits;
Console.WriteLine($"fuzzing {requests} requests, {workers} workers, seed {seed}, {(limits.Length == 0 ? "default" : "open")} rate limits, " +
    $"{Environment.ProcessorCount} cores, GC env: gcServer={Environment.GetEnvironmentVariable("DOTNET_gcServer") ?? "(csproj)"}");
var outcome = await FuzzSession.RunAsync(requests, workers, seed, limits, Console.Out, CancellationToken.None);
Console.WriteLine(outcome.Report.Summary());
Console.WriteLine($"routes: {outcome.Routes}; retried on a closed keep-alive connection: {outcome.Retries}; elapsed {outcome.Elapsed.TotalSeconds:0.0} s ({outcome.Report.Requests / outcome.Elapsed.TotalSeconds:0} req/s)");
Console.WriteLine($"server peak RSS (VmHWM): {outcome.PeakRssKb / 1024.0:0.0} MB");
Console.WriteLine("money: " + outcome.Money + (outcome.Money.Holds ? " — holds" : " — BROKEN"));
var failed = outcome.Report.ServerErrors > 0 || !outcome.Report.Violations.IsEmpty || !outcome.Money.Holds;
if (failed)
    foreach (var line in ServerFailures(outcome.ServerStderr).Take(80))
        Console.Error.WriteLine(line);
return failed ? 1 : 0;

// The server's error entries ("fail: ..." and every line up to the next entry, which an exception message with a
// line break in it continues on), not the auth handler's
// "not authenticated ... Failure message" information lines that a fuzz run writes by the thousand.
static IEnumerable<string> ServerFailures(string log)
{
    var inEntry = false;
    foreach (var line in log.Split('\n'))
    {
        if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
            inEntry = true;
        else if (line.Length > 5 && line[4] == ':' && line[..4] is "info" or "warn" or "dbug" or "trce")
            inEntry = false;
        if (inEntry)
            yield return line;
    }
}
