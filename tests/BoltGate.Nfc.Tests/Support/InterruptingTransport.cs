using BoltGate.Nfc.Transport;

namespace BoltGate.Nfc.Tests.Support;

/// <summary>
/// Rehearses a card pulled from the reader after <paramref name="budget"/> APDUs: either the next
/// command never reaches the card, or (<paramref name="loseResponse"/>) the card executes it and the
/// answer is lost — the two ways a real pull-away looks from the PC.
/// </summary>
internal sealed class InterruptingTransport(ICardTransport inner, int budget, bool loseResponse) : ICardTransport
{
    public int Sent { get; private set; }

    public bool Fired { get; private set; }

    public async Task<byte[]> TransmitAsync(ReadOnlyMemory<byte> command, CancellationToken cancellationToken)
    {
        if (Fired)
            throw new CardTransportException("Card removed from the field.");
        if (Sent == budget)
        {
            Fired = true;
            if (loseResponse)
                await inner.TransmitAsync(command, cancellationToken);
            throw new CardTransportException("Card removed from the field.");
        }
        Sent++;
        return await inner.TransmitAsync(command, cancellationToken);
    }
}
