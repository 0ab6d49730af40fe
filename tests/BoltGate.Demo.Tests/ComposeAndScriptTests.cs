using System.Text.RegularExpressions;

namespace BoltGate.Demo.Tests;

/// <summary>
/// What CI can check of the Docker demo without a Docker engine: the compose files validate with
/// Debian's docker-compose, every image is pinned, and every shell script in the repository passes shellcheck.
/// </summary>
[Collection(DemoCollection.Name)]
[Trait(Category.Name, Category.Process)]
public sealed partial class ComposeAndScriptTests
{
    private static string Docker(string file) => Path.Combine(SharedFiles.RepoRoot, "docker", file);

    [Fact]
    public async Task The_compose_file_validates_and_runs_boltgate_on_the_gateway_lnd_with_a_pinned_certificate()
    {
        var compose = Tool.Require("docker-compose", "validate docker/docker-compose.yml");
        var run = await Tool.RunAsync(compose, ["-f", Docker("docker-compose.yml"), "--profile", "tools", "config"], TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 0, run.Output);
        foreach (var service in new[] { "bitcoind:", "lnd-gateway:", "lnd-merchant:", "lnd-private:", "cln-merchant:", "postgres:", "secrets:", "boltgate:", "pos:" })
            Assert.Contains("  " + service, run.Stdout, StringComparison.Ordinal);
        Assert.Contains("BOLTGATE_CONNECTION_FILE: /secrets/lnd-gateway.connection", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("--private", await File.ReadAllTextAsync(Path.Combine(SharedFiles.RepoRoot, "docker", "demo.sh")), StringComparison.Ordinal);

        // The connection string the secrets service writes is BTCPay's lnd-rest form with the certificate pinned.
        var secrets = await File.ReadAllTextAsync(Docker("secrets.sh"));
        Assert.Contains("type=lnd-rest;server=https://%s:8080/;macaroonfilepath=/secrets/%s/%s;certthumbprint=%s", secrets, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_core_lightning_override_validates_and_points_boltgate_at_the_gateways_socket()
    {
        var compose = Tool.Require("docker-compose", "validate docker/docker-compose.cln.yml");
        var run = await Tool.RunAsync(compose, ["-f", Docker("docker-compose.yml"), "-f", Docker("docker-compose.cln.yml"), "config"], TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("  cln-gateway:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("BOLTGATE__Lightning__ConnectionString: type=clightning;server=unix:///cln-gateway/regtest/lightning-rpc", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docker-compose.yml")]
    [InlineData("docker-compose.cln.yml")]
    public async Task Every_compose_image_is_pinned_to_a_version(string file)
    {
        var images = ImageLine().Matches(await File.ReadAllTextAsync(Docker(file))).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(images);
        foreach (var image in images.Where(i => !i.StartsWith("boltgate", StringComparison.Ordinal)))
            Assert.Matches(@"^[a-z0-9./-]+:v?\d+(\.\d+)+(-[a-z0-9.]+)?$", image);
    }

    [Fact]
    public async Task Every_shell_script_in_the_repository_passes_shellcheck()
    {
        var shellcheck = Tool.Require("shellcheck", "check every *.sh in the repository");
        var scripts = Directory.EnumerateFiles(SharedFiles.RepoRoot, "*.sh", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git" or "node_modules"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Contains(scripts, p => p.EndsWith(Path.Combine("docker", "demo.sh"), StringComparison.Ordinal));
        Assert.Contains(scripts, p => p.EndsWith(Path.Combine("docker", "secrets.sh"), StringComparison.Ordinal));
        Assert.Contains(scripts, p => p.EndsWith(Path.Combine("scripts", "test.sh"), StringComparison.Ordinal));
        var failures = new List<string>();
        foreach (var script in scripts)
        {
            var run = await Tool.RunAsync(shellcheck, ["-x", "-P", "SCRIPTDIR", script], TimeSpan.FromSeconds(60), Path.GetDirectoryName(script));
            if (run.ExitCode != 0)
                failures.Add(Path.GetRelativePath(SharedFiles.RepoRoot, script) + ":\n" + run.Output);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [GeneratedRegex(@"^\s*image:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ImageLine();
}
