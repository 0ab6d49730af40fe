using BoltGate.Nfc.Ntag424;
using BoltGate.Nfc.Provisioning;

namespace BoltGate.Nfc.Tests.Provisioning;

[Trait(Category.Name, Category.Unit)]
public class RoundTripTests
{
    [Fact]
    public async Task Burn_then_tap_then_wipe_then_burn_again()
    {
        using var bench = new Bench();
        var burned = await bench.BurnAsync();
        Assert.Equal(ProvisionStatus.Done, burned.Status);
        Assert.Equal("04a39493cc8680", burned.Uid);
        Assert.True(bench.CardHolds(bench.Keys, 1));
        Assert.True(burned.Tap!.Verified);
        Assert.True(bench.JournalIsEmpty);
        Assert.Contains("04a39493cc8680 burn ok", File.ReadAllText(Path.Combine(bench.Journal.Directory, "completed.log")), StringComparison.Ordinal);

        var tap1 = await bench.TapAsync();
        var tap2 = await bench.TapAsync();
        Assert.True(tap1.Verified && tap2.Verified);
        Assert.StartsWith("lnurlw://pay.example.com/ln?p=", tap1.Url, StringComparison.Ordinal);
        Assert.Equal("04a39493cc8680", tap1.Uid);
        Assert.Equal(tap1.Counter + 1, tap2.Counter);
        var settings = bench.Card.SettingsOf(2);
        Assert.Equal(new AccessRights(AccessRights.Free, 0, 0, 0), settings.Access);
        Assert.Equal((1, 2), (settings.Sdm!.MetaReadKey, settings.Sdm.FileReadKey));

        var wiped = await bench.WipeAsync(bench.Keys);
        Assert.Equal(ProvisionStatus.Done, wiped.Status);
        Assert.True(bench.CardHolds(KeySet.Factory, 0));
        Assert.Null(bench.Card.SettingsOf(2).Sdm);
        Assert.Equal(new byte[256], bench.Card.RawFile(2));
        Assert.True(bench.JournalIsEmpty);

        var again = await bench.BurnAsync();
        Assert.Equal(ProvisionStatus.Done, again.Status);
        Assert.Equal(0, bench.Card.FailedAuthentications);
    }

    [Fact]
    public async Task The_card_carries_the_key_version_the_issuer_names_and_still_wipes()
    {
        using var bench = new Bench { IssuerKeyVersion = 3 };
        var burned = await bench.BurnAsync();
        Assert.Equal(ProvisionStatus.Done, burned.Status);
        Assert.True(bench.CardHolds(bench.Keys, 3));

        var wiped = await bench.WipeAsync(bench.Keys);
        Assert.Equal(ProvisionStatus.Done, wiped.Status);
        Assert.True(bench.CardHolds(KeySet.Factory, 0));
        Assert.Equal(0, bench.Card.FailedAuthentications);
    }

    [Fact]
    public async Task A_card_that_is_not_blank_is_refused_untouched()
    {
        using var bench = new Bench();
        Assert.Equal(ProvisionStatus.Done, (await bench.BurnAsync()).Status);
        var before = bench.Card.RawFile(2);
        using var other = new Bench();
        var refused = await other.Provisioner(new BoltGate.Nfc.Virtual.VirtualCardTransport(bench.Card))
            .BurnAsync(other.Source, new BurnOptions(), CancellationToken.None);
        Assert.Equal(ProvisionStatus.Refused, refused.Status);
        Assert.Contains("not blank", refused.Message, StringComparison.Ordinal);
        Assert.True(bench.CardHolds(bench.Keys, 1));
        Assert.Equal(before, bench.Card.RawFile(2));
        Assert.Equal(0, other.KeySourceCalls);
        Assert.Equal(0, bench.Card.FailedAuthentications);
    }

    [Fact]
    public async Task A_card_whose_K0_cannot_be_proven_is_refused()
    {
        using var bench = new Bench();
        bench.Card.ForceKey(0, Convert.FromHexString("11111111111111111111111111111111"), 0);
        var refused = await bench.BurnAsync();
        Assert.Equal(ProvisionStatus.Refused, refused.Status);
        Assert.Contains("Cannot prove K0", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, bench.KeySourceCalls);
        Assert.True(bench.JournalIsEmpty);
    }

    [Fact]
    public async Task Wiping_with_the_wrong_keys_is_refused_before_any_K0_attempt()
    {
        using var bench = new Bench();
        await bench.BurnAsync();
        using var other = new Bench();
        var refused = await bench.WipeAsync(other.Keys);
        Assert.Equal(ProvisionStatus.Refused, refused.Status);
        Assert.Equal(0, bench.Card.FailedAuthentications);
        Assert.True(bench.CardHolds(bench.Keys, 1));
    }

    [Fact]
    public async Task Dry_run_writes_nothing()
    {
        using var bench = new Bench();
        var dry = await bench.BurnAsync(options: new BurnOptions(DryRun: true));
        Assert.Equal(ProvisionStatus.DryRun, dry.Status);
        Assert.Contains("lnurlw://pay.example.com/ln?p=", dry.Message, StringComparison.Ordinal);
        Assert.True(bench.CardHolds(KeySet.Factory, 0));
        Assert.Null(bench.Card.SettingsOf(2).Sdm);
        Assert.True(bench.JournalIsEmpty);
    }

    [Fact]
    public async Task Random_uid_only_when_asked_and_the_card_stays_manageable()
    {
        using var bench = new Bench();
        Assert.Equal(ProvisionStatus.Done, (await bench.BurnAsync()).Status);
        Assert.False(bench.Card.RandomUidEnabled);

        using var priv = new Bench("04112233445566");
        var burned = await priv.BurnAsync(options: new BurnOptions(RandomUid: true));
        Assert.Equal(ProvisionStatus.Done, burned.Status);
        Assert.True(priv.Card.RandomUidEnabled);
        Assert.Equal("04112233445566", (await priv.TapAsync()).Uid);
        var wiped = await priv.WipeAsync(priv.Keys);
        Assert.Equal(ProvisionStatus.Done, wiped.Status);
        Assert.Equal("04112233445566", wiped.Uid);
    }

    [Fact]
    public async Task Journal_files_are_private_and_keys_never_leave_them()
    {
        using var bench = new Bench();
        var transport = new Support.InterruptingTransport(new BoltGate.Nfc.Virtual.VirtualCardTransport(bench.Card), 30, false);
        var outcome = await bench.BurnAsync(transport);
        Assert.Equal(ProvisionStatus.Interrupted, outcome.Status);
        var file = Directory.EnumerateFiles(bench.Journal.Directory, "*.json").Single();
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var k2 = Convert.ToHexStringLower(bench.Keys.Key(2));
        Assert.Contains(k2, File.ReadAllText(file), StringComparison.Ordinal);
        Assert.DoesNotContain(k2, outcome.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(k2, string.Join("\n", outcome.Steps), StringComparison.OrdinalIgnoreCase);
    }
}
