using BoltGate.Nfc.Ntag424;
using BoltGate.Nfc.Virtual;
using static BoltGate.Nfc.Tests.Support.HexNotation;

namespace BoltGate.Nfc.Tests.Pcsc;

/// <summary>The virtual card seen through pcsc-lite and the vpcd driver, exactly as a USB reader would present it.</summary>
[Collection(PcscCollection.Name)]
[Trait(Category.Name, Category.Hardware)]
public class PcscTransportTests
{
    [Fact(Timeout = 60_000)]
    public async Task The_virtual_card_answers_through_pcscd()
    {
        using var context = PcscStack.Require();
        var card = new VirtualNtag424(X("04968CAA5C5E80"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using (await VpcdClient.ConnectAsync(card, PcscStack.VpcdHost, PcscStack.VpcdPort, cts.Token))
        {
            var reader = await context.WaitForCardAsync("Virtual PCD 00 00", cts.Token);
            Assert.Equal(S(VirtualNtag424.Atr), S(reader.Atr));
            using var transport = context.Connect(reader.Reader);
            var ntag = new Ntag424Card(transport);
            var version = await ntag.GetVersionAsync(cts.Token);
            Assert.Equal("04968CAA5C5E80", S(version.Uid));
            await ntag.SelectApplicationAsync(cts.Token);
            Assert.True((await ntag.AuthenticateEv2FirstAsync(0, Zero16, cts.Token)).Succeeded);
            Assert.Equal(0, await ntag.GetKeyVersionAsync(1, cts.Token));
        }
        // The card left the reader when the vpcd connection closed.
        var status = await WaitUntil(() => !context.GetStatus().Single(s => s.Reader == PcscStack.ReaderName).CardPresent);
        Assert.True(status);
    }

    /// <summary>
    /// Cards swapped back to back: the first APDU to each new card must reach it, not the previous
    /// card's closed connection (VpcdClient.ConnectAsync waits for vpcd to poll the new card).
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task A_swapped_card_answers_its_first_apdu()
    {
        using var context = PcscStack.Require();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        foreach (var uid in new[] { "04000000000001", "04000000000002", "04000000000003", "04000000000004" })
        {
            await using var vpcd = await VpcdClient.ConnectAsync(new VirtualNtag424(X(uid)), PcscStack.VpcdHost, PcscStack.VpcdPort, cts.Token);
            var reader = await context.WaitForCardAsync(PcscStack.ReaderName, cts.Token);
            using var transport = context.Connect(reader.Reader);
            Assert.Equal(uid, S((await new Ntag424Card(transport).GetVersionAsync(cts.Token)).Uid));
        }
    }

    private static async Task<bool> WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (condition())
                return true;
            await Task.Delay(100);
        }
        return false;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PcscCollection
{
    public const string Name = "pcscd + vpcd (one virtual reader)";
}
