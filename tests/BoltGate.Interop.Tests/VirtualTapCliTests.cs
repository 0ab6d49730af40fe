using System.Net.Http.Json;
using System.Text.Json;

namespace BoltGate.Interop.Tests;

/// <summary>
/// <c>boltgate-nfc tap --virtual</c> and <c>boltgate-nfc invoice</c> (the built tool, run as a process)
/// against the real gateway: the tap URL it prints is one the gateway accepts, and the invoice is one the
/// simulated node pays — from the admin API's keys (<c>--card</c>) or from keys and a counter file.
/// </summary>
[Trait(Category.Name, Category.Process)]
public sealed class VirtualTapCliTests
{
    private static string ToolDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}",
                StringComparison.Ordinal) ? "Release" : "Debug";
            var dll = Path.Combine(SharedFiles.RepoRoot, "hardware", "BoltGate.Nfc.Cli", "bin", configuration, "net10.0", "boltgate-nfc.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build hardware/BoltGate.Nfc.Cli first.", dll);
        }
    }

    private static async Task<string> ToolAsync(string workDir, params string[] args)
    {
        var run = await Processes.RunAsync("dotnet", [ToolDll, .. args], workDir, TimeSpan.FromSeconds(60));
        Assert.True(run.Code == 0, run.ToString());
        return run.Stdout.Trim();
    }

    [Fact(Timeout = 180_000)]
    public async Task A_virtual_tap_from_the_admin_api_is_paid_with_the_tools_invoice()
    {
        using var dir = new Processes.TempDir();
        using var server = ServerProcess.Start(dir.Path);
        await server.WaitHealthyAsync();
        using var admin = server.RawAdminClient();
        var created = await (await admin.PostAsJsonAsync("/api/v1/cards", new { name = "cli", uid = "04a39493cc8680" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString()!;
        (await admin.PostAsJsonAsync($"/api/v1/cards/{id}/credit", new { amountSat = 5_000 })).EnsureSuccessStatusCode();

        var url = await ToolAsync(dir.Path, "tap", "--virtual", "--card", id, "--gateway", server.Url, "--api-key", server.AdminKey);
        Assert.StartsWith(server.Url + "/ln?p=", url, StringComparison.Ordinal);
        using var pos = new HttpClient();
        var offer = await pos.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal("withdrawRequest", offer.GetProperty("tag").GetString());

        var invoice = await ToolAsync(dir.Path, "invoice", "--amount-sat", "1000");
        var paid = await pos.GetFromJsonAsync<JsonElement>($"{offer.GetProperty("callback").GetString()}?k1={offer.GetProperty("k1").GetString()}&pr={invoice}");
        Assert.Equal("OK", paid.GetProperty("status").GetString());

        // The next virtual tap takes the counter after the one just used.
        var next = JsonDocument.Parse(await ToolAsync(dir.Path, "tap", "--virtual", "--card", id, "--gateway", server.Url, "--api-key", server.AdminKey, "--json")).RootElement;
        Assert.Equal(2, next.GetProperty("counter").GetInt64());
        Assert.Equal("withdrawRequest", (await pos.GetFromJsonAsync<JsonElement>(next.GetProperty("url").GetString())).GetProperty("tag").GetString());
    }

    [Fact(Timeout = 180_000)]
    public async Task Taps_from_keys_and_a_counter_file_advance_and_an_old_one_is_a_replay()
    {
        using var dir = new Processes.TempDir();
        using var server = ServerProcess.Start(dir.Path);
        await server.WaitHealthyAsync();
        using var admin = server.RawAdminClient();
        var created = await (await admin.PostAsJsonAsync("/api/v1/cards", new { name = "keys", uid = "04c13d5a2f7080" })).Content.ReadFromJsonAsync<JsonElement>();
        (await admin.PostAsJsonAsync($"/api/v1/cards/{created.GetProperty("id").GetString()}/credit", new { amountSat = 5_000 })).EnsureSuccessStatusCode();
        var keys = created.GetProperty("keys");
        var state = Path.Combine(dir.Path, "counter.txt");
        string[] tap = ["tap", "--virtual", "--uid", "04c13d5a2f7080", "--k1", keys.GetProperty("k1").GetString()!,
            "--k2", keys.GetProperty("k2").GetString()!, "--state", state, "--gateway", server.Url];

        using var pos = new HttpClient();
        var first = await ToolAsync(dir.Path, tap);
        Assert.Equal("1", File.ReadAllText(state).Trim());
        var offer = await pos.GetFromJsonAsync<JsonElement>(first);
        var invoice = await ToolAsync(dir.Path, "invoice", "--amount-sat", "100");
        Assert.Equal("OK", (await pos.GetFromJsonAsync<JsonElement>(
            $"{offer.GetProperty("callback").GetString()}?k1={offer.GetProperty("k1").GetString()}&pr={invoice}")).GetProperty("status").GetString());

        var second = await ToolAsync(dir.Path, tap);
        Assert.Equal("2", File.ReadAllText(state).Trim());
        Assert.Equal("withdrawRequest", (await pos.GetFromJsonAsync<JsonElement>(second)).GetProperty("tag").GetString());
        Assert.Equal("REPLAY", (await pos.GetFromJsonAsync<JsonElement>(first)).GetProperty("code").GetString());
    }
}
