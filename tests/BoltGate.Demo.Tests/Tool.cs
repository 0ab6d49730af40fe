using System.Diagnostics;
using System.Text;

namespace BoltGate.Demo.Tests;

/// <summary>Runs a command-line tool in the repository root and captures its output. A missing tool fails the test loudly.</summary>
internal static class Tool
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;
    }

    /// <summary>Fails the test (never skips) when <paramref name="name"/> is not on PATH.</summary>
    public static string Require(string name, string why)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var path = Path.Combine(dir, name);
            if (dir.Length > 0 && File.Exists(path))
                return path;
        }
        Assert.Fail($"'{name}' is not installed: it is needed to {why}. scripts/deps/demo-tools.sh installs it (./scripts/test.sh runs it).");
        return name;
    }

    public static async Task<Run> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null, CancellationToken stop = default)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? SharedFiles.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("BOLTGATE__", StringComparison.OrdinalIgnoreCase)).ToList())
            info.Environment.Remove(key);
        if (environment is not null)
        {
            foreach (var (k, v) in environment)
                info.Environment[k] = v;
        }
        using var process = new Process { StartInfo = info };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cts.Token, stop);
        try
        {
            await process.WaitForExitAsync(either.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Asked to stop (a server the test started): end it and hand back what it printed.
            process.Kill(entireProcessTree: true);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(file)} {string.Join(' ', info.ArgumentList)} did not finish in {timeout.TotalSeconds:0} s.\n{stdout}\n{stderr}");
        }
        process.WaitForExit();
        lock (stdout)
            lock (stderr)
                return new Run(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    public static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DemoCollection
{
    /// <summary>One at a time: these run whole processes (publish, the gateway, the demo) on a small machine.</summary>
    public const string Name = "demo";
}
