using BoltGate.Nfc.Transport;

namespace BoltGate.Nfc.Virtual;

/// <summary>In-process transport to a <see cref="VirtualNtag424"/>: the card is "on the reader" while <see cref="Present"/>.</summary>
public sealed class VirtualCardTransport(VirtualNtag424 card) : ICardTransport
{
    public VirtualNtag424 Card { get; } = card;

    public bool Present { get; set; } = true;

    public Task<byte[]> TransmitAsync(ReadOnlyMemory<byte> command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!Present)
            throw new CardTransportException("No card on the reader.");
        return Task.FromResult(Card.Process(command.Span));
    }
}
