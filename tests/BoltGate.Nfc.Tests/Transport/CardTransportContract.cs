using BoltGate.Nfc.Ntag424;
using BoltGate.Nfc.Transport;
using BoltGate.Nfc.Virtual;
using static BoltGate.Nfc.Tests.Support.HexNotation;

namespace BoltGate.Nfc.Tests.Transport;

/// <summary>
/// One contract for every <see cref="ICardTransport"/>: the same card, the same commands and the same
/// answers in process and through pcscd + vpcd, the way a USB reader presents the card.
/// </summary>
public abstract class CardTransportContract
{
    /// <summary>Puts the card on this transport's reader; disposing the result takes it away.</summary>
    protected abstract Task<CardOnReader> PlaceAsync(VirtualNtag424 card, CancellationToken ct);

    [Fact(Timeout = 60_000)]
    public async Task A_blank_card_names_itself_and_opens_a_session_with_the_factory_key()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        await using var placed = await PlaceAsync(new VirtualNtag424(X("04968CAA5C5E80")), cts.Token);
        var ntag = new Ntag424Card(placed.Transport);

        Assert.Equal("04968CAA5C5E80", S((await ntag.GetVersionAsync(cts.Token)).Uid));
        await ntag.SelectApplicationAsync(cts.Token);
        Assert.True((await ntag.AuthenticateEv2FirstAsync(0, Zero16, cts.Token)).Succeeded);
        Assert.Equal(0, await ntag.GetKeyVersionAsync(1, cts.Token));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_wrong_key_is_refused_and_the_card_counts_the_failure()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        var card = new VirtualNtag424(X("04968CAA5C5E81"));
        await using var placed = await PlaceAsync(card, cts.Token);
        var ntag = new Ntag424Card(placed.Transport);

        await ntag.SelectApplicationAsync(cts.Token);
        var refused = await ntag.AuthenticateEv2FirstAsync(0, X("00112233445566778899AABBCCDDEEFF"), cts.Token);
        Assert.False(refused.Succeeded);
        Assert.Equal(1, card.FailedAuthentications);
        Assert.True((await ntag.AuthenticateEv2FirstAsync(0, Zero16, cts.Token)).Succeeded);
    }

    /// <summary>A card on a reader: the transport to it, and what takes it away again.</summary>
    protected sealed class CardOnReader(ICardTransport transport, Func<ValueTask> takeAway) : IAsyncDisposable
    {
        public ICardTransport Transport { get; } = transport;

        public ValueTask DisposeAsync() => takeAway();
    }
}
