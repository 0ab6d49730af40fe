using BoltGate.Nfc.Provisioning;
using BoltGate.Nfc.Tests.Support;
using BoltGate.Nfc.Virtual;

namespace BoltGate.Nfc.Tests.Provisioning;

/// <summary>
/// A card pulled from the reader after every possible APDU of a burn (and of a wipe), both before
/// the card sees the command and after it ran it but before the answer arrived, must always end
/// as a working card by running burn again — or as a blank card by running wipe.
/// </summary>
[Trait(Category.Name, Category.Unit)]
public class InterruptionTests
{
    public static IEnumerable<object[]> Modes() => [[false], [true]];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_burn_interrupted_anywhere_is_finished_by_burning_again(bool loseResponse)
    {
        var total = await CountBurnApdus();
        for (var n = 0; n < total; n++)
        {
            using var bench = new Bench();
            var cut = new InterruptingTransport(new VirtualCardTransport(bench.Card), n, loseResponse);
            var first = await bench.BurnAsync(cut);
            Assert.True(cut.Fired, $"cut at {n} did not fire");
            Assert.Equal(ProvisionStatus.Interrupted, first.Status);

            var second = await bench.BurnAsync();
            Assert.True(second.Status == ProvisionStatus.Done, $"cut at {n} ({(loseResponse ? "response lost" : "command lost")}): {second.Message}");
            Assert.True(bench.CardHolds(bench.Keys, 1), $"cut at {n}: keys");
            Assert.True((await bench.TapAsync()).Verified, $"cut at {n}: tap");
            Assert.True(bench.JournalIsEmpty);
            Assert.True(bench.KeySourceCalls <= 2);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_burn_interrupted_anywhere_can_be_rolled_back_by_wiping(bool loseResponse)
    {
        var total = await CountBurnApdus();
        for (var n = 0; n < total; n++)
        {
            using var bench = new Bench();
            var cut = new InterruptingTransport(new VirtualCardTransport(bench.Card), n, loseResponse);
            Assert.Equal(ProvisionStatus.Interrupted, (await bench.BurnAsync(cut)).Status);

            // The operator has the wipe JSON the gateway gave for this card (the new keys).
            var wiped = await bench.WipeAsync(bench.Keys);
            Assert.True(wiped.Status == ProvisionStatus.Done, $"cut at {n}: {wiped.Message}");
            Assert.True(bench.CardHolds(KeySet.Factory, 0), $"cut at {n}: keys");
            Assert.Null(bench.Card.SettingsOf(2).Sdm);
            Assert.True(bench.JournalIsEmpty);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_wipe_interrupted_anywhere_is_finished_by_wiping_again(bool loseResponse)
    {
        int total;
        using (var probe = new Bench())
        {
            await probe.BurnAsync();
            var before = probe.Card.ApduCount;
            await probe.WipeAsync(probe.Keys);
            total = probe.Card.ApduCount - before;
        }
        for (var n = 0; n < total; n++)
        {
            using var bench = new Bench();
            Assert.Equal(ProvisionStatus.Done, (await bench.BurnAsync()).Status);
            var cut = new InterruptingTransport(new VirtualCardTransport(bench.Card), n, loseResponse);
            Assert.Equal(ProvisionStatus.Interrupted, (await bench.WipeAsync(bench.Keys, cut)).Status);
            var wiped = await bench.WipeAsync(bench.Keys);
            Assert.True(wiped.Status == ProvisionStatus.Done, $"cut at {n}: {wiped.Message}");
            Assert.True(bench.CardHolds(KeySet.Factory, 0));
            Assert.True(bench.JournalIsEmpty);
        }
    }

    private static async Task<int> CountBurnApdus()
    {
        using var bench = new Bench();
        await bench.BurnAsync();
        return bench.Card.ApduCount;
    }
}
