using System.Net.Http.Json;
using System.Text.Json;
using BoltGate.Client;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Crypto;
using BoltGate.Core.Keys;
using BoltGate.Core.Money;
using BoltGate.Core.Sun;
using BoltGate.Lightning.Simulated;
using BoltGate.Nfc.Cli;
using BoltGate.Nfc.Provisioning;
using BoltGate.Nfc.Virtual;
using static BoltGate.Nfc.Tests.Support.HexNotation;

namespace BoltGate.Nfc.Tests.Pcsc;

/// <summary>
/// End to end through the real PC/SC stack: the virtual card sits in pcscd's vpcd reader and the
/// boltgate-nfc CLI drives it — the same code path a USB reader takes. The gateway is the real
/// BoltGate server process with zero configuration.
/// </summary>
[Collection(PcscCollection.Name)]
[Trait(Category.Name, Category.Hardware)]
public class CliThroughPcscdTests
{
    private const string Uid = "04a39493cc8680";

    [Fact(Timeout = 180_000)]
    public async Task A_card_burned_from_the_gateway_through_pcscd_taps_pays_and_wipes()
    {
        using var _ = PcscStack.Require();
        using var dir = new TempDir();
        using var server = await ServerProcess.StartHealthyAsync();
        var adminKey = server.AdminKey;
        using var admin = server.AdminClient();
        using var pos = new HttpClient();

        var card = new VirtualNtag424(X(Uid));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        await using var vpcd = await VpcdClient.ConnectAsync(card, PcscStack.VpcdHost, PcscStack.VpcdPort, cts.Token);
        string[] common = ["--reader", PcscStack.ReaderName, "--journal", dir.Path, "--json", "--wait", "20"];

        // Burn: the CLI reads the UID through pcscd and has the gateway create the card for it.
        var burn = await Cli(["burn", "--gateway", server.Url, "--api-key", adminKey, "--name", "e2e", .. common], cts.Token);
        Assert.True(burn.Code == 0, burn.Output + burn.Error + server.Stderr);
        using (var json = JsonDocument.Parse(burn.Output))
        {
            Assert.Equal("done", json.RootElement.GetProperty("status").GetString());
            Assert.Equal(Uid, json.RootElement.GetProperty("uid").GetString());
        }
        Assert.DoesNotContain(adminKey, burn.Output + burn.Error, StringComparison.Ordinal);

        // The card holds the keys the gateway derives for this UID from its issuer key, under the
        // gateway's key version, and that version is also the card's key version byte.
        var issuerKey = Hex.Decode(server.ReadDataFile("issuer.key"));
        Assert.True(CardUid.TryParse(Uid, out var uid));
        var cardId = Hex.Lower(DeterministicKeys.CardId(issuerKey, uid));
        var created = await admin.GetCardAsync(cardId, cts.Token);
        Assert.Equal("e2e", created.Name);
        var keyVersion = created.KeyVersion;
        var derived = DeterministicKeys.Derive(issuerKey, uid, checked((uint)keyVersion));
        var keys = KeySet.FromHex([derived.K0.ToHex(), derived.K1.ToHex(), derived.K2.ToHex(), derived.K3.ToHex(), derived.K4.ToHex()]);
        Assert.True(Enumerable.Range(0, 5).All(n => card.HasKey(n, keys[n])), "the card does not hold the gateway's keys");
        Assert.All(Enumerable.Range(0, 5), n => Assert.Equal(keyVersion, card.KeyVersion(n)));
        Assert.DoesNotContain(Convert.ToHexStringLower(keys.Key(0)), burn.Output, StringComparison.Ordinal);

        Assert.Equal(2_000_000, (await admin.CreditAsync(cardId, 2_000, null, cts.Token)).BalanceMsat);
        var lnurlwBase = $"lnurlw://{new Uri(server.Url).Authority}/ln";
        var keysFile = Path.Combine(dir.Path, "card.json");
        var hex = keys.ToHex();
        await File.WriteAllTextAsync(keysFile, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["lnurlw_base"] = lnurlwBase,
            ["k0"] = hex[0],
            ["k1"] = hex[1],
            ["k2"] = hex[2],
            ["k3"] = hex[3],
            ["k4"] = hex[4],
        }), cts.Token);

        // Verify: a tap read through pcscd, checked locally and by the gateway itself.
        var verify = await Cli(["verify", "--keys", keysFile, "--check-gateway", "--http", .. common], cts.Token);
        Assert.True(verify.Code == 0, verify.Output + verify.Error);
        using (var json = JsonDocument.Parse(verify.Output))
        {
            Assert.Equal("verified", json.RootElement.GetProperty("status").GetString());
            Assert.StartsWith(lnurlwBase + "?p=", json.RootElement.GetProperty("url").GetString(), StringComparison.Ordinal);
            var gateway = json.RootElement.GetProperty("gateway");
            Assert.True(gateway.GetProperty("withdrawRequest").GetBoolean(), gateway.GetProperty("problem").ToString());
            Assert.True(gateway.GetProperty("maxWithdrawableMsat").GetInt64() > 0);
        }

        // Pay with it: a fresh tap through pcscd, then LNURL-withdraw as a POS would (LUD-03).
        var tap = await Cli(["verify", "--keys", keysFile, .. common], cts.Token);
        Assert.True(tap.Code == 0, tap.Output + tap.Error);
        string tapUrl;
        long tapCounter;
        using (var json = JsonDocument.Parse(tap.Output))
        {
            tapUrl = "http://" + json.RootElement.GetProperty("url").GetString()!["lnurlw://".Length..];
            tapCounter = json.RootElement.GetProperty("counter").GetInt64();
        }
        var offer = await pos.GetFromJsonAsync<JsonElement>(tapUrl, cts.Token);
        Assert.Equal("withdrawRequest", offer.GetProperty("tag").GetString());
        Assert.True(offer.GetProperty("maxWithdrawable").GetInt64() >= 500_000);
        var wallet = new SimulatedNetwork(BitcoinNetwork.Regtest, TimeProvider.System);
        wallet.AddPayee("wallet", new PayeeBehavior.Succeed(TimeSpan.Zero, Msat.Zero));
        var invoice = wallet.CreatePayeeInvoice("wallet", Msat.FromSat(500));
        var paid = await pos.GetFromJsonAsync<JsonElement>(
            $"{offer.GetProperty("callback").GetString()}?k1={offer.GetProperty("k1").GetString()}&pr={invoice}", cts.Token);
        Assert.Equal("OK", paid.GetProperty("status").GetString());
        var after = await admin.GetCardAsync(cardId, cts.Token);
        Assert.True(after.BalanceMsat <= 1_500_000, after.ToString());
        Assert.Equal(tapCounter, after.Counter);
        var withdrawal = (await admin.ListWithdrawalsAsync(cardId, cts.Token))[0];
        Assert.Equal(500_000, withdrawal.AmountMsat);
        Assert.NotEqual("Failed", withdrawal.State);
        // The same tap cannot pay twice.
        var replay = await pos.GetFromJsonAsync<JsonElement>(tapUrl, cts.Token); // 200 + ERROR body, as LUD-03 clients read it
        Assert.Equal("REPLAY", replay.GetProperty("code").GetString());

        // Wipe: back to factory keys and no SUN; the card no longer taps.
        var wipeFile = Path.Combine(dir.Path, "wipe.json");
        await File.WriteAllTextAsync(wipeFile, ProgrammerJson.WriteWipe(keys, Uid), cts.Token);
        var wipe = await Cli(["wipe", "--wipe-json", wipeFile, .. common], cts.Token);
        Assert.True(wipe.Code == 0, wipe.Output + wipe.Error);
        Assert.True(Enumerable.Range(0, 5).All(n => card.HasKey(n, KeySet.Factory[n]) && card.KeyVersion(n) == 0));
        Assert.Null(card.SettingsOf(2).Sdm);
        var gone = await Cli(["verify", "--keys", keysFile, .. common], cts.Token);
        Assert.Equal(1, gone.Code);
    }

    /// <summary>
    /// The Bolt Card Programmer deeplink protocol against the real gateway: the operator makes one-time
    /// links, the CLI programs the card through the program URL (the gateway's derived keys, version 1),
    /// wipes it through the reset URL (the gateway verifies the tap, answers the keys and disables the
    /// card, its balance kept), and programs it again at key version 2.
    /// </summary>
    [Fact(Timeout = 180_000)]
    public async Task Burn_and_wipe_through_pcscd_with_deeplink_program_and_reset_urls()
    {
        const string uidHex = "04c13d5a2f7080";
        using var _ = PcscStack.Require();
        using var dir = new TempDir();
        // Programming needs an https Gateway:PublicUrl; this local test uses the dev escape.
        using var server = await ServerProcess.StartHealthyAsync("--Gateway:AllowInsecurePublicUrl=true");
        using var admin = server.AdminClient();
        var issuerKey = Hex.Decode(server.ReadDataFile("issuer.key"));
        Assert.True(CardUid.TryParse(uidHex, out var uid));
        var cardId = Hex.Lower(DeterministicKeys.CardId(issuerKey, uid));
        var card = new VirtualNtag424(X(uidHex));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(160));
        await using var vpcd = await VpcdClient.ConnectAsync(card, PcscStack.VpcdHost, PcscStack.VpcdPort, cts.Token);
        string[] common = ["--reader", PcscStack.ReaderName, "--journal", dir.Path, "--json", "--wait", "20"];

        async Task<string> LinkAsync(string kind)
        {
            var link = await admin.CreateProgrammingLinkAsync(new ProgrammingLinkRequest("deeplink e2e"), cts.Token);
            return kind == "programDeeplink" ? link.ProgramDeeplink : link.ResetDeeplink;
        }

        bool HoldsVersion(uint version)
        {
            var k = DeterministicKeys.Derive(issuerKey, uid, version);
            Key128[] keys = [k.K0, k.K1, k.K2, k.K3, k.K4];
            return Enumerable.Range(0, 5).All(n => card.HasKey(n, keys[n].Span) && card.KeyVersion(n) == version);
        }

        var burn = await Cli(["burn", "--program-url", await LinkAsync("programDeeplink"), .. common], cts.Token);
        Assert.True(burn.Code == 0, burn.Output + burn.Error + server.Stderr);
        Assert.True(HoldsVersion(1), "the card does not hold the gateway's version-1 keys");
        Assert.Equal(1_500_000, (await admin.CreditAsync(cardId, 1_500, null, cts.Token)).BalanceMsat);

        var wipe = await Cli(["wipe", "--reset-url", await LinkAsync("resetDeeplink"), .. common], cts.Token);
        Assert.True(wipe.Code == 0, wipe.Output + wipe.Error + server.Stderr);
        Assert.True(Enumerable.Range(0, 5).All(n => card.HasKey(n, KeySet.Factory[n]) && card.KeyVersion(n) == 0));
        Assert.Null(card.SettingsOf(2).Sdm);
        var wiped = await admin.GetCardAsync(cardId, cts.Token);
        Assert.False(wiped.Enabled);
        Assert.Equal(1_500_000, wiped.BalanceMsat);
        Assert.True(wiped.Counter >= 1, "the reset did not consume the tap it verified");

        var again = await Cli(["burn", "--program-url", await LinkAsync("programDeeplink"), .. common], cts.Token);
        Assert.True(again.Code == 0, again.Output + again.Error + server.Stderr);
        Assert.True(HoldsVersion(2), "the re-programmed card does not hold the gateway's version-2 keys");
        var reborn = await admin.GetCardAsync(cardId, cts.Token);
        Assert.True(reborn.Enabled);
        Assert.Equal(2, reborn.KeyVersion);
        var logs = server.Stdout + server.Stderr;
        foreach (var version in new uint[] { 1, 2 })
            Assert.DoesNotContain(DeterministicKeys.Derive(issuerKey, uid, version).K2.ToHex(), logs, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = 120_000)]
    public async Task Readers_and_info_show_the_virtual_card()
    {
        using var _ = PcscStack.Require();
        using var dir = new TempDir();
        var card = new VirtualNtag424(X("04968caa5c5e80"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var vpcd = await VpcdClient.ConnectAsync(card, PcscStack.VpcdHost, PcscStack.VpcdPort, cts.Token);
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
