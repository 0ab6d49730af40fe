using System.Text.Json;
using BoltGate.Nfc.Cli;
using BoltGate.Nfc.Provisioning;
using BoltGate.Nfc.Tests.Support;
using BoltGate.Nfc.Virtual;
using static BoltGate.Nfc.Tests.Support.H;

namespace BoltGate.Nfc.Tests.Pcsc;

/// <summary>
/// End to end through the real PC/SC stack: the virtual card sits in pcscd's vpcd reader and the
/// boltgate-nfc CLI burns it (keys from the gateway's admin API), verifies it (locally and with the
/// gateway's LNURL endpoint) and wipes it — the same code path a USB reader takes.
/// </summary>
[Collection(PcscCollection.Name)]
public class CliThroughPcscdTests
{
    [Fact(Timeout = 120_000)]
    public async Task Burn_verify_and_wipe_through_pcscd_with_the_gateway()
    {
        using var _ = PcscStack.Require();
        using var dir = new TempDir();
        await using var gateway = new StubGateway("test-admin-key");
        var card = new VirtualNtag424(X("04a39493cc8680"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        await using var vpcd = await VpcdClient.ConnectAsync(card, PcscStack.VpcdHost, PcscStack.VpcdPort, cts.Token);
        string[] common = ["--reader", PcscStack.ReaderName, "--journal", dir.Path, "--json", "--wait", "20"];

        var burn = await Cli(["burn", "--gateway", gateway.BaseUrl, "--api-key", gateway.ApiKey, "--name", "e2e", .. common], cts.Token);
        Assert.True(burn.Code == 0, burn.Output + burn.Error);
        using (var json = JsonDocument.Parse(burn.Output))
        {
            Assert.Equal("done", json.RootElement.GetProperty("status").GetString());
            Assert.Equal("04a39493cc8680", json.RootElement.GetProperty("uid").GetString());
        }
        var keys = gateway.KeysOf("04a39493cc8680");
        Assert.True(Enumerable.Range(0, 5).All(n => card.HasKey(n, keys[n]) && card.KeyVersion(n) == 1));
        Assert.DoesNotContain(Convert.ToHexStringLower(keys.Key(0)), burn.Output, StringComparison.Ordinal);

        var keysFile = Path.Combine(dir.Path, "card.json");
        var hex = keys.ToHex();
        await File.WriteAllTextAsync(keysFile, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["lnurlw_base"] = $"lnurlw://127.0.0.1:{gateway.Port}/ln", ["k0"] = hex[0], ["k1"] = hex[1], ["k2"] = hex[2], ["k3"] = hex[3], ["k4"] = hex[4],
        }), cts.Token);
        var verify = await Cli(["verify", "--keys", keysFile, "--check-gateway", "--http", .. common], cts.Token);
        Assert.True(verify.Code == 0, verify.Output + verify.Error);
        using (var json = JsonDocument.Parse(verify.Output))
        {
            Assert.Equal("verified", json.RootElement.GetProperty("status").GetString());
            Assert.True(json.RootElement.GetProperty("gateway").GetProperty("withdrawRequest").GetBoolean());
        }
        Assert.Equal(1, gateway.TapsAccepted);

        var wipeFile = Path.Combine(dir.Path, "wipe.json");
        await File.WriteAllTextAsync(wipeFile, ProgrammerJson.WriteWipe(keys, "04a39493cc8680"), cts.Token);
        var wipe = await Cli(["wipe", "--wipe-json", wipeFile, .. common], cts.Token);
        Assert.True(wipe.Code == 0, wipe.Output + wipe.Error);
        Assert.True(Enumerable.Range(0, 5).All(n => card.HasKey(n, KeySet.Factory[n]) && card.KeyVersion(n) == 0));
        Assert.Null(card.SettingsOf(2).Sdm);

        // After the wipe the card no longer taps: verify fails loudly.
        var after = await Cli(["verify", "--keys", keysFile, .. common], cts.Token);
        Assert.Equal(1, after.Code);
    }

    [Fact(Timeout = 120_000)]
    public async Task Readers_and_info_show_the_virtual_card()
    {
        using var _ = PcscStack.Require();
        using var dir = new TempDir();
        var card = new VirtualNtag424(X("04968caa5c5e80"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var vpcd = await VpcdClient.ConnectAsync(card, PcscStack.VpcdHost, PcscStack.VpcdPort, cts.Token);
        await Task.Delay(500, cts.Token);
        var readers = await Cli(["readers", "--json"], cts.Token);
        Assert.Equal(0, readers.Code);
        Assert.Contains(PcscStack.ReaderName, readers.Output, StringComparison.Ordinal);

        var info = await Cli(["info", "--reader", PcscStack.ReaderName, "--journal", dir.Path, "--json"], cts.Token);
        Assert.True(info.Code == 0, info.Output + info.Error);
        using var json = JsonDocument.Parse(info.Output);
        Assert.Equal("04968caa5c5e80", json.RootElement.GetProperty("uid").GetString());
        Assert.Equal("blank", json.RootElement.GetProperty("kind").GetString());
    }

    private static async Task<(int Code, string Output, string Error)> Cli(string[] args, CancellationToken ct)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error, ct);
        return (code, output.ToString(), error.ToString());
    }
}
