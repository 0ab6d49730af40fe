namespace BoltGate.Nfc.Transport;

/// <summary>
/// The one seam to a card: send a command APDU, get the response APDU (data followed by SW1 SW2).
/// A PC/SC reader, the in-process virtual card and test doubles all sit behind it.
/// Implementations throw <see cref="CardTransportException"/> when the card or reader is gone.
/// </summary>
public interface ICardTransport
{
    Task<byte[]> TransmitAsync(ReadOnlyMemory<byte> command, CancellationToken cancellationToken);
}
