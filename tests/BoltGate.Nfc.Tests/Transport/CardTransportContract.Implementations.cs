using BoltGate.Nfc.Tests.Pcsc;
using BoltGate.Nfc.Virtual;

namespace BoltGate.Nfc.Tests.Transport;

// The card transport contract on every transport: CardTransportContract_<transport>.

[Trait(Category.Name, Category.Unit)]
public sealed class CardTransportContract_InProcess : CardTransportContract
{
    protected override Task<CardOnReader> PlaceAsync(VirtualNtag424 card, CancellationToken ct) =>
        Task.FromResult(new CardOnReader(new VirtualCardTransport(card), () => ValueTask.CompletedTask));
}

[Collection(PcscCollection.Name)]
[Trait(Category.Name, Category.Hardware)]
public sealed class CardTransportContract_Pcscd : CardTransportContract
{
    protected override async Task<CardOnReader> PlaceAsync(VirtualNtag424 card, CancellationToken ct)
    {
        var context = PcscStack.Require();
        VpcdClient? vpcd = null;
        try
        {
            vpcd = await VpcdClient.ConnectAsync(card, PcscStack.VpcdHost, PcscStack.VpcdPort, ct);
            var reader = await context.WaitForCardAsync(PcscStack.ReaderName, ct);
            var transport = context.Connect(reader.Reader);
            var connected = vpcd;
            return new CardOnReader(transport, async () =>
            {
                transport.Dispose();
                await connected.DisposeAsync();
                context.Dispose();
            });
        }
        catch
        {
            if (vpcd is not null)
                await vpcd.DisposeAsync();
            context.Dispose();
            throw;
        }
    }
}
