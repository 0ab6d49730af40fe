using BoltGate.Nfc.Ntag424;
using BoltGate.Nfc.Pcsc;

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
        _transport = _context.Connect(status.Reader);
        return (new Ntag424Card(_transport), status.Reader);
    }

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
