using BoltGate.Nfc.Transport;

namespace BoltGate.Nfc.Pcsc;

/// <summary>A connected card on a PC/SC reader. Transmit errors that mean "card gone" become <see cref="CardTransportException"/>.</summary>
public sealed class PcscCardTransport : ICardTransport, IDisposable
{
    private readonly IPcscApi _api;
    private readonly uint _protocol;
    private readonly object _gate = new();
    private nint _card;

    internal PcscCardTransport(IPcscApi api, nint card, uint protocol, string reader)
    {
        _api = api;
        _card = card;
        _protocol = protocol;
        Reader = reader;
    }

    public string Reader { get; }

    public Task<byte[]> TransmitAsync(ReadOnlyMemory<byte> command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_card == 0)
                throw new CardTransportException("The card connection is closed.");
            var buffer = new byte[258 + 16];
            var rv = _api.Transmit(_card, _protocol, command.Span, buffer, out var received);
            if (rv != PcscError.Success)
            {
                var message = $"SCardTransmit on {Reader}: {PcscError.Describe(rv)} (0x{rv:X8})";
                throw new CardTransportException(message, new PcscException("SCardTransmit", rv));
            }
            return Task.FromResult(buffer.AsSpan(0, received).ToArray());
        }
    }

    /// <summary>Disconnects; <paramref name="resetCard"/> power-cycles the card (ends sessions, starts a new SUN tap).</summary>
    public void Disconnect(bool resetCard)
    {
        lock (_gate)
        {
            if (_card == 0)
                return;
            _api.Disconnect(_card, resetCard ? PcscConstants.ResetCard : PcscConstants.LeaveCard);
            _card = 0;
        }
    }

    public void Dispose() => Disconnect(resetCard: true);
}
