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
        try
        {
            // vpcd may miss a card put down right after another was taken away (it notices cards on its ATR poll):
            // like a person, put it down again when the reader does not see it within a few seconds.
            for (var attempt = 1; ; attempt++)
            {
                var vpcd = await VpcdClient.ConnectAsync(card, PcscStack.VpcdHost, PcscStack.VpcdPort, ct);
                using var seen = CancellationTokenSource.CreateLinkedTokenSource(ct);
                seen.CancelAfter(TimeSpan.FromSeconds(8));
                try
                {
                    var reader = await context.WaitForCardAsync(PcscStack.ReaderName, seen.Token);
                    var transport = context.Connect(reader.Reader);
                    return new CardOnReader(transport, async () =>
                    {
                        transport.Dispose();
                        await vpcd.DisposeAsync();
                        // Taken away means gone from the reader, before the next card is put down.
                        using var gone = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                        try
                        {
                            await context.WaitForRemovalAsync(PcscStack.ReaderName, gone.Token);
                        }
                        catch (OperationCanceledException)
                        {
                        }
                        context.Dispose();
                    });
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested && attempt < 4)
                {
                    await vpcd.DisposeAsync();
                }
                catch
                {
                    await vpcd.DisposeAsync();
                    throw;
                }
            }
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }
}
