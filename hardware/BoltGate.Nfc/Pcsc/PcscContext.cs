namespace BoltGate.Nfc.Pcsc;

/// <summary>
/// A PC/SC resource-manager context: list readers, wait for a card, connect. Picks the platform ABI
/// at runtime (pcsc-lite on Linux, WinSCard on Windows, PCSC.framework on macOS).
/// </summary>
public sealed class PcscContext : IDisposable
{
    private readonly IPcscApi _api;
    private nint _context;

    private PcscContext(IPcscApi api, nint context)
    {
        _api = api;
        _context = context;
    }

    /// <summary>Opens a context; throws <see cref="PcscException"/> when the PC/SC service is not running.</summary>
    public static PcscContext Establish()
    {
        IPcscApi api = OperatingSystem.IsWindows() ? new WinScardApi()
            : OperatingSystem.IsMacOS() ? new MacPcscApi()
            : new PcscLiteApi();
        uint rv;
        nint context;
        try
        {
            rv = api.EstablishContext(out context);
        }
        catch (DllNotFoundException e)
        {
            throw new PcscException("SCardEstablishContext (" + e.Message + ")", PcscError.NoService);
        }
        if (rv != PcscError.Success)
            throw new PcscException("SCardEstablishContext", rv);
        return new PcscContext(api, context);
    }

    public IReadOnlyList<string> ListReaders()
    {
        var rv = _api.ListReaders(_context, out var readers);
        if (rv == PcscError.NoReadersAvailable)
            return [];
        if (rv != PcscError.Success)
            throw new PcscException("SCardListReaders", rv);
        return readers;
    }

    /// <summary>The state of each reader right now: card present or not, and the card's ATR.</summary>
    public IReadOnlyList<ReaderStatus> GetStatus()
    {
        var readers = ListReaders();
        if (readers.Count == 0)
            return [];
        var states = readers.Select(r => new ReaderState(r) { CurrentState = PcscConstants.StateUnaware }).ToArray();
        var rv = _api.GetStatusChange(_context, 0, states);
        if (rv != PcscError.Success && rv != PcscError.Timeout)
            throw new PcscException("SCardGetStatusChange", rv);
        return states.Select(ToStatus).ToList();
    }

    /// <summary>
    /// Waits until a reader whose name contains <paramref name="readerFilter"/> (any reader when null)
    /// holds a card, and returns that reader. Polls in short slices so cancellation is prompt.
    /// </summary>
    public async Task<ReaderStatus> WaitForCardAsync(string? readerFilter, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var readers = Matching(readerFilter);
            if (readers.Count == 0)
            {
                await Task.Delay(250, ct).ConfigureAwait(false);
                continue;
            }
            var states = readers.Select(r => new ReaderState(r) { CurrentState = PcscConstants.StateUnaware }).ToArray();
            var rv = await Task.Run(() => _api.GetStatusChange(_context, 250, states), ct).ConfigureAwait(false);
            if (rv != PcscError.Success && rv != PcscError.Timeout)
                throw new PcscException("SCardGetStatusChange", rv);
            var ready = states.FirstOrDefault(s => (s.EventState & PcscConstants.StatePresent) != 0 && (s.EventState & PcscConstants.StateMute) == 0);
            if (ready is not null)
                return ToStatus(ready);
            await Task.Delay(100, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until <paramref name="reader"/> no longer holds a card (batch mode: "take the card away").</summary>
    public async Task WaitForRemovalAsync(string reader, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var states = new[] { new ReaderState(reader) { CurrentState = PcscConstants.StateUnaware } };
            var rv = await Task.Run(() => _api.GetStatusChange(_context, 250, states), ct).ConfigureAwait(false);
            if (rv != PcscError.Success && rv != PcscError.Timeout)
                throw new PcscException("SCardGetStatusChange", rv);
            if ((states[0].EventState & PcscConstants.StatePresent) == 0)
                return;
            await Task.Delay(150, ct).ConfigureAwait(false);
        }
    }

    public PcscCardTransport Connect(string reader)
    {
        var rv = _api.Connect(_context, reader, out var card, out var protocol);
        if (rv != PcscError.Success)
            throw new PcscException($"SCardConnect({reader})", rv);
        return new PcscCardTransport(_api, card, protocol, reader);
    }

    /// <summary>Picks the reader to use: the one matching <paramref name="readerFilter"/>, else the only one / the first holding a card.</summary>
    public IReadOnlyList<string> Matching(string? readerFilter)
    {
        var readers = ListReaders();
        return readerFilter is null
            ? readers
            : readers.Where(r => r.Contains(readerFilter, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    public void Dispose()
    {
        if (_context != 0)
        {
            _api.ReleaseContext(_context);
            _context = 0;
        }
    }

    private static ReaderStatus ToStatus(ReaderState s) =>
        new(s.Reader, (s.EventState & PcscConstants.StatePresent) != 0 && (s.EventState & PcscConstants.StateMute) == 0,
            (s.EventState & PcscConstants.StateInUse) != 0, s.Atr);
}

/// <summary>One reader and whether it holds a card.</summary>
public sealed record ReaderStatus(string Reader, bool CardPresent, bool InUse, byte[] Atr);
