namespace BoltGate.Interop.Tests;

/// <summary>
/// <c>boltgate-nfc</c> installs as the README says: packed as a .NET tool to a local folder, installed
/// from it (here into a temporary --tool-path instead of --global), and the installed command runs.
/// </summary>
[Trait(Category.Name, Category.Process)]
public sealed class ToolInstallTests
{
    public const string PackCommand = "dotnet pack hardware/BoltGate.Nfc.Cli -c Release -o ./artifacts";
    public const string InstallCommand = "dotnet tool install --global --add-source ./artifacts boltgate-nfc";

    [Fact]
    public void The_readmes_give_the_install_commands()
    {
        foreach (var readme in new[] { "README.md", Path.Combine("hardware", "README.md") })
        {
            var text = File.ReadAllText(Path.Combine(SharedFiles.RepoRoot, readme));
            Assert.Contains(PackCommand, text, StringComparison.Ordinal);
            Assert.Contains(InstallCommand, text, StringComparison.Ordinal);
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task The_packed_tool_installs_and_runs()
    {
        using var dir = new Processes.TempDir();
        var artifacts = Path.Combine(dir.Path, "artifacts");
        var tools = Path.Combine(dir.Path, "tools");
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}",
            StringComparison.Ordinal) ? "Release" : "Debug";
        // --no-build: the project reference built it already; packing must not rebuild under running tests.
        var pack = await Processes.RunAsync("dotnet", ["pack", "hardware/BoltGate.Nfc.Cli", "-c", configuration, "--no-build", "-o", artifacts, "-nologo"],
            SharedFiles.RepoRoot, TimeSpan.FromMinutes(3));
        Assert.True(pack.Code == 0, pack.ToString());
        Assert.Single(Directory.GetFiles(artifacts, "boltgate-nfc.*.nupkg"));

        var install = await Processes.RunAsync("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", artifacts, "boltgate-nfc"],
            dir.Path, TimeSpan.FromMinutes(2));
        Assert.True(install.Code == 0, install.ToString());

        var tool = Path.Combine(tools, OperatingSystem.IsWindows() ? "boltgate-nfc.exe" : "boltgate-nfc");
        var help = await Processes.RunAsync(tool, ["--help"], dir.Path, TimeSpan.FromSeconds(60));
        Assert.True(help.Code == 0, help.ToString());
        foreach (var command in new[] { "burn", "wipe", "verify", "tap", "invoice" })
            Assert.Contains(command, help.Stdout, StringComparison.Ordinal);
        var invoice = await Processes.RunAsync(tool, ["invoice", "--amount-sat", "21"], dir.Path, TimeSpan.FromSeconds(60));
        Assert.True(invoice.Code == 0, invoice.ToString());
        Assert.StartsWith("lnbcrt210n1", invoice.Stdout.Trim(), StringComparison.Ordinal);
    }
}
