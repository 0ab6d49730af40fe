using System.Diagnostics;
using System.Text;
using BoltGate.Testing.Databases;

namespace BoltGate.Server.Tests;

/// <summary>
/// The short variant of the crash test (tests/BoltGate.CrashTest, whose full run is in its RESULTS.md):
/// 60 withdrawals and 3 SIGKILLs of the real server (plus the final restart under a new instance name),
/// per engine and backend, FastFail and GradedRetry. The tool runs as its own process, as the operator
/// runs it; its exit code says whether every invariant held, and its output names what broke.
/// </summary>
[Trait(Category.Name, Category.Process)]
public sealed class CrashTests
{
    [Theory(Timeout = 300_000)]
    [InlineData("sqlite/lnd/FastFail")]
    [InlineData("postgres/cln/FastFail")]
    [InlineData("sqlite/cln/GradedRetry")]
    [InlineData("postgres/lnd/GradedRetry")]
    public async Task Sixty_withdrawals_with_three_kills_lose_nothing_and_pay_nothing_twice(string run)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(CrashTestDll);
        foreach (var arg in new[] { "--withdrawals", "60", "--kills", "3", "--only", run })
            info.ArgumentList.Add(arg);
        if (run.StartsWith("postgres", StringComparison.Ordinal))
            info.Environment[PostgresTestDatabase.EnvironmentVariable] = PostgresTestDatabase.AdminConnectionString; // fails loudly when unset
        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        string text;
        lock (output)
            text = output.ToString();
        Assert.True(process.ExitCode == 0, $"crash run {run} failed:\n{text}");
        Assert.Contains($"{run}: PASS", text, StringComparison.Ordinal);
        Assert.Contains("kills=4", text, StringComparison.Ordinal);
    }

    private static string CrashTestDll
    {
        get
        {
            var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
            var dll = Path.Combine(SharedFiles.RepoRoot, "tests", "BoltGate.CrashTest", "bin", configuration, "net10.0", "BoltGate.CrashTest.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build tests/BoltGate.CrashTest first.", dll);
        }
    }
}
