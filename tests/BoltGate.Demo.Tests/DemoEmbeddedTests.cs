using System.Net;
using System.Net.Sockets;

namespace BoltGate.Demo.Tests;

/// <summary>
/// <c>docker/demo.sh --target embedded</c> end to end: the built gateway on its simulated node, a card
/// made and funded through the admin API, and boltgate-pos running the whole story. It must end
/// "every step ended as the timeline says" with exit 0 — and exit non-zero when the steps do not.
/// </summary>
[Collection(DemoCollection.Name)]
[Trait(Category.Name, Category.Process)]
public sealed class DemoEmbeddedTests
{
    private static async Task<Tool.Run> DemoAsync(params (string Key, string Value)[] environment)
    {
        Tool.Require("bash", "run docker/demo.sh");
        Tool.Require("curl", "let docker/demo.sh call the admin API");
        Tool.Require("jq", "let docker/demo.sh read JSON");
        var env = new Dictionary<string, string>
        {
            ["BOLTGATE_DEMO_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BOLTGATE_DEMO_CONFIGURATION"] = Tool.Configuration,
        };
        foreach (var (k, v) in environment)
            env[k] = v;
        return await Tool.RunAsync("bash", [Path.Combine(SharedFiles.RepoRoot, "docker", "demo.sh"), "--target", "embedded", "--no-build"],
            TimeSpan.FromMinutes(4), environment: env);
    }

    [Fact]
    public async Task The_embedded_story_runs_green_step_by_step()
    {
        var run = await DemoAsync();

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("demo: every step ended as the timeline says", run.Stdout, StringComparison.Ordinal);
        var steps = run.Stdout.Split('\n').Where(l => l.StartsWith('[')).ToList();
        Assert.True(steps.Count == 8, string.Join('\n', steps));
        Assert.All(steps, l => Assert.Contains("] ok ", l, StringComparison.Ordinal));
        Assert.Contains(steps, l => l.Contains("1. tap #1", StringComparison.Ordinal) && l.Contains("paid", StringComparison.Ordinal));
        Assert.Contains(steps, l => l.Contains("refused NO_ROUTE, refunded in", StringComparison.Ordinal) && l.Contains(" ms", StringComparison.Ordinal));
        Assert.Contains(steps, l => l.Contains("hold invoice", StringComparison.Ordinal) && l.Contains("pending", StringComparison.Ordinal));
        Assert.Contains(steps, l => l.Contains("refunded", StringComparison.Ordinal) && l.Contains("withdrawal Failed", StringComparison.Ordinal));
        Assert.Contains(steps, l => l.Contains("replayed", StringComparison.Ordinal) && l.Contains("refused REPLAY", StringComparison.Ordinal));
        // Balances: 10000 sat, then -1000 and a fee, unchanged by the no-route, -700 settled, 800 back.
        Assert.Matches(@"1\. tap #1[^\n]*balance +89\d\d sat", run.Stdout);
        Assert.Matches(@"replayed[^\n]*balance +82\d\d sat", run.Stdout);
    }

    [Fact]
    public async Task A_story_that_does_not_go_as_told_exits_non_zero_and_says_which_steps()
    {
        // A gateway on signet refuses every regtest invoice: no step can end as the timeline says.
        var run = await DemoAsync(("BOLTGATE_DEMO_LIGHTNING", "type=simulated;network=signet"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("FAIL", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("did NOT end as the timeline says", run.Stderr, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
