using System.Text.RegularExpressions;

namespace BoltGate.Interop.Tests;

/// <summary>
/// The README's quick start, run as written: every <c>sh</c> block between
/// <c>&lt;!-- quickstart:begin --&gt;</c> and <c>&lt;!-- quickstart:end --&gt;</c>, joined into one bash
/// script (<c>set -euo pipefail</c>) and run in the folder of a fresh zero-configuration gateway. The only
/// change is the gateway's address: the README's <c>http://127.0.0.1:5000</c> becomes the test server's.
/// When the README drifts from the code (a route, a field, a command), this fails.
/// </summary>
[Trait(Category.Name, Category.Process)]
public sealed partial class ReadmeQuickStartTests
{
    public const string Begin = "<!-- quickstart:begin -->";
    public const string End = "<!-- quickstart:end -->";
    private const string ReadmeUrl = "http://127.0.0.1:5000";

    [Fact(Timeout = 180_000)]
    public async Task The_quick_start_takes_a_newcomer_to_a_paid_withdrawal()
    {
        var script = QuickStartScript(await File.ReadAllTextAsync(Path.Combine(SharedFiles.RepoRoot, "README.md")));
        Assert.Contains(ReadmeUrl, script, StringComparison.Ordinal);
        using var workDir = new Processes.TempDir();
        using var server = ServerProcess.Start(workDir.Path);
        await server.WaitHealthyAsync();

        var file = Path.Combine(workDir.Path, "quickstart.sh");
        await File.WriteAllTextAsync(file, "set -euo pipefail\n" + script.Replace(ReadmeUrl, server.Url, StringComparison.Ordinal));
        var run = await Processes.RunAsync("bash", [file], workDir.Path, TimeSpan.FromSeconds(120));
        var context = run + "\n--- script\n" + script + "\n--- server\n" + server.Stdout + server.Stderr;
        Assert.True(run.Code == 0, context);

        // What the README promises the reader sees: the offer, the payment, the balance after it.
        Assert.Contains("\"tag\":\"withdrawRequest\"", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("{\"status\":\"OK\"}", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"REPLAY\"", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^9000000$", run.Stdout);
    }

    [Fact]
    public void The_quick_start_is_marked_and_has_commands()
    {
        var script = QuickStartScript(File.ReadAllText(Path.Combine(SharedFiles.RepoRoot, "README.md")));
        Assert.Contains("/ln/callback", script, StringComparison.Ordinal);
        Assert.Contains("/api/v1/dev/cards/", script, StringComparison.Ordinal);
    }

    /// <summary>The sh blocks between the markers, in order.</summary>
    public static string QuickStartScript(string readme)
    {
        var begin = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"README.md must hold the quick start between {Begin} and {End}.");
        var blocks = ShBlock().Matches(readme[begin..end]).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(blocks);
        return string.Join("\n", blocks);
    }

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShBlock();
}
