using System.Text.Json;
using System.Text.RegularExpressions;
using BoltGate.Core.Crypto;
using BoltGate.Core.Keys;
using BoltGate.Core.Sun;
using BoltGate.Nfc.Cli;
using BoltGate.Nfc.Provisioning;
using BoltGate.Nfc.Tests.Support;
using BoltGate.Nfc.Virtual;
using static BoltGate.Nfc.Tests.Support.HexNotation;

namespace BoltGate.Nfc.Tests.Pcsc;

/// <summary>
/// <c>boltgate-nfc batch</c> through pcscd against the real gateway, the way an operator runs it:
/// card after card on one reader, and a second run that meets a card the first already burned.
/// </summary>
[Collection(PcscCollection.Name)]
[Trait(Category.Name, Category.Hardware)]
public class BatchThroughPcscdTests
{
    private const string UidA = "04b1a70c3e5d80";
    private const string UidB = "04b1a70c3e5d81";
    private const string NextCard = "Put the next card on the reader";
    private const string TakeAway = "Take the card away.";

    [Fact(Timeout = 240_000)]
    public async Task Batch_burns_two_cards_in_turn_and_a_second_run_skips_a_card_already_burned()
    {
        using var _ = PcscStack.Require();
        using var journal = new TempDir();
        using var server = await ServerProcess.StartHealthyAsync();
        var adminKey = server.AdminKey;
        var issuerKey = Hex.Decode(server.ReadDataFile("issuer.key"));
        using var admin = server.AdminClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(200));
        var cardA = new VirtualNtag424(X(UidA));
        var cardB = new VirtualNtag424(X(UidB));
        string[] batch = ["batch", "--gateway", server.Url, "--api-key", adminKey, "--reader", PcscStack.ReaderName, "--journal", journal.Path];

        // Run 1, human output (its prompts say when the operator may swap cards): two cards, one after the other.
        var output = new LockedStringWriter();
        var error = new LockedStringWriter();
        var run = CliApp.RunAsync([.. batch, "--count", "2"], output, error, cts.Token);
        string Seen() => output + error.ToString() + server.Stderr;

        var vpcdA = await VpcdClient.ConnectAsync(cardA, PcscStack.VpcdHost, PcscStack.VpcdPort, cts.Token);
        await UntilAsync(() => Occurrences(Plain(output), TakeAway) == 1, run, Seen, cts.Token);
        Assert.Contains($"Done {UidA}: Card burned and verified.", Plain(output), StringComparison.Ordinal);
        await vpcdA.DisposeAsync();
        await UntilAsync(() => Occurrences(Plain(output), NextCard) == 2, run, Seen, cts.Token);

        await using (await VpcdClient.ConnectAsync(cardB, PcscStack.VpcdHost, PcscStack.VpcdPort, cts.Token))
            await UntilAsync(() => Occurrences(Plain(output), TakeAway) == 2, run, Seen, cts.Token);
        var code = await run.WaitAsync(cts.Token);
        Assert.True(code == 0, Seen());
        Assert.Contains($"Done {UidB}: Card burned and verified.", Plain(output), StringComparison.Ordinal);
        Assert.Contains("Batch: 2 burned, 0 already burned (skipped), 0 not burned.", Plain(output), StringComparison.Ordinal);
        Assert.Equal(1, BurnLines(journal.Path, UidA));
        Assert.Equal(1, BurnLines(journal.Path, UidB));
        Assert.Empty(Directory.EnumerateFiles(journal.Path, "*.json"));

        // Each card holds the keys the gateway derives for its own UID, under the version the gateway recorded.
        foreach (var (uidHex, card) in new[] { (UidA, cardA), (UidB, cardB) })
        {
            Assert.True(CardUid.TryParse(uidHex, out var uid));
            var created = await admin.GetCardAsync(Hex.Lower(DeterministicKeys.CardId(issuerKey, uid)), cts.Token);
            var version = created.KeyVersion;
            var k = DeterministicKeys.Derive(issuerKey, uid, checked((uint)version));
            Key128[] keys = [k.K0, k.K1, k.K2, k.K3, k.K4];
            Assert.True(Enumerable.Range(0, 5).All(n => card.HasKey(n, keys[n].Span) && card.KeyVersion(n) == version),
                $"card {uidHex} does not hold the gateway's keys for its UID");
            Assert.Equal((byte)1, card.SettingsOf(2).Sdm?.MetaReadKey);
            Assert.DoesNotContain(k.K0.ToHex(), Seen(), StringComparison.OrdinalIgnoreCase);
        }
        Assert.DoesNotContain(adminKey, Plain(output) + error, StringComparison.Ordinal);

        // Run 2, JSON: card A again is reported as skipped (already burned) and is not touched.
        var tapsBefore = cardA.SdmReadCounter;
        output = new LockedStringWriter();
        error = new LockedStringWriter();
        run = CliApp.RunAsync([.. batch, "--count", "1", "--json"], output, error, cts.Token);
        await using (await VpcdClient.ConnectAsync(cardA, PcscStack.VpcdHost, PcscStack.VpcdPort, cts.Token))
            await UntilAsync(() => Plain(output).Contains("\"command\":\"burn\"", StringComparison.Ordinal), run, Seen, cts.Token);
        code = await run.WaitAsync(cts.Token);
        Assert.True(code == 0, Seen());
        var lines = Plain(output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        using (var burn = JsonDocument.Parse(lines[0]))
        {
            Assert.Equal("skipped", burn.RootElement.GetProperty("status").GetString());
            Assert.Equal(UidA, burn.RootElement.GetProperty("uid").GetString());
            Assert.StartsWith("already burned", burn.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        using (var summary = JsonDocument.Parse(lines[1]))
        {
            Assert.Equal("batch", summary.RootElement.GetProperty("command").GetString());
            Assert.Equal(0, summary.RootElement.GetProperty("burned").GetInt32());
            Assert.Equal(1, summary.RootElement.GetProperty("skipped").GetInt32());
            Assert.Equal(0, summary.RootElement.GetProperty("notBurned").GetInt32());
        }
        Assert.Equal(1, BurnLines(journal.Path, UidA));
        Assert.Equal(tapsBefore, cardA.SdmReadCounter);
        Assert.Equal(0, cardA.FailedAuthentications);
    }

    /// <summary>The human output without any ANSI colour codes Spectre.Console may add.</summary>
    private static string Plain(LockedStringWriter writer) => Regex.Replace(writer.ToString(), "\u001b\\[[0-9;]*[A-Za-z]", "");

    private static int Occurrences(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
            n++;
        return n;
    }

    private static int BurnLines(string journalDir, string uid) =>
        File.ReadLines(Path.Combine(journalDir, "completed.log")).Count(l => l.Split(' ') is [_, var u, Provisioner.Burn, ..] && u == uid);

    /// <summary>Polls <paramref name="condition"/>; fails at once with what the CLI printed if it exits first.</summary>
    private static async Task UntilAsync(Func<bool> condition, Task<int> run, Func<string> seen, CancellationToken ct)
    {
        while (!condition())
        {
            if (run.IsCompleted)
                Assert.Fail($"batch exited ({await run}) early:\n{seen()}");
            try
            {
                await Task.Delay(50, ct);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("timed out waiting for batch:\n" + seen());
            }
        }
    }
}
