using BoltGate.Nfc.Ntag424;
using BoltGate.Nfc.Pcsc;
using BoltGate.Nfc.Transport;

namespace BoltGate.Nfc.Cli;

/// <summary>Finds the reader, waits for a card and connects through PC/SC.</summary>
internal sealed class CardConnector(string? readerFilter, TimeSpan wait) : IDisposable
{
    private readonly PcscContext _context = PcscContext.Establish();
    private PcscCardTransport? _transport;

    public PcscContext Context => _context;

    public async Task<(Ntag424Card Card, string Reader)> ConnectAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(wait);
        ReaderStatus status;
        try
        {
            status = await _context.WaitForCardAsync(readerFilter, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var readers = _context.Matching(readerFilter);
            throw new CliException(readers.Count == 0
                ? (readerFilter is null ? "No PC/SC reader found. Is the reader plugged in and pcscd running?" : $"No reader matches '{readerFilter}'.")
                : $"No card on {string.Join(", ", readers)} after {wait.TotalSeconds:0} s.");
        }
        // A card that was just placed (or swapped) can be reported present before the reader has
        // settled: the first exchange then fails with "not transacted" or "card removed". Nothing has
        // been changed on the card yet, so try the connection again a few times before giving up.
        for (var attempt = 1; ; attempt++)
        {
            _transport = _context.Connect(status.Reader);
            var card = new Ntag424Card(_transport);
            try
            {
                await card.SelectApplicationAsync(ct).ConfigureAwait(false);
                return (card, status.Reader);
            }
            catch (CardTransportException) when (attempt < SettleAttempts)
            {
                Release();
                await Task.Delay(SettleDelay, ct).ConfigureAwait(false);
                status = await _context.WaitForCardAsync(status.Reader, timeout.Token).ConfigureAwait(false);
            }
        }
    }

    private const int SettleAttempts = 4;
    private static readonly TimeSpan SettleDelay = TimeSpan.FromMilliseconds(300);

    /// <summary>Disconnects with a card reset, so the next operation starts a new session (and a new tap).</summary>
    public void Release()
    {
        _transport?.Disconnect(resetCard: true);
        _transport = null;
    }

    public void Dispose()
    {
        Release();
        _context.Dispose();
    }
}

/// <summary>A problem the user can fix (bad option, no reader): printed without a stack trace.</summary>
internal sealed class CliException(string message) : Exception(message);
