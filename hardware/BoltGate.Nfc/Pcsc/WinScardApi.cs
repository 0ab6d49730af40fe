using System.Runtime.InteropServices;

namespace BoltGate.Nfc.Pcsc;

/// <summary>
/// WinSCard (winscard.dll) on Windows: DWORD and LONG are 32-bit, SCARDCONTEXT/SCARDHANDLE are
/// pointer-sized, names are UTF-16 through the "W" entry points, SCARD_READERSTATEW.rgbAtr is 36 bytes.
/// </summary>
internal sealed unsafe class WinScardApi : IPcscApi
{
    private const string Lib = "winscard.dll";

    [StructLayout(LayoutKind.Sequential)]
    private struct ScardReaderState
    {
        public nint Reader;
        public nint UserData;
        public uint CurrentState;
        public uint EventState;
        public uint AtrLength;
        public fixed byte Atr[36];
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ScardIoRequest
    {
        public uint Protocol;
        public uint PciLength;
    }

    [DllImport(Lib)]
    private static extern int SCardEstablishContext(uint scope, nint reserved1, nint reserved2, out nint context);

    [DllImport(Lib)]
    private static extern int SCardReleaseContext(nint context);

    [DllImport(Lib)]
    private static extern int SCardListReadersW(nint context, char* groups, char* readers, ref uint length);

    [DllImport(Lib)]
    private static extern int SCardGetStatusChangeW(nint context, uint timeout, ScardReaderState* states, uint count);

    [DllImport(Lib)]
    private static extern int SCardConnectW(nint context, char* reader, uint shareMode, uint preferredProtocols, out nint card, out uint activeProtocol);

    [DllImport(Lib)]
    private static extern int SCardTransmit(nint card, ScardIoRequest* sendPci, byte* send, uint sendLength, ScardIoRequest* recvPci, byte* recv, ref uint recvLength);

    [DllImport(Lib)]
    private static extern int SCardDisconnect(nint card, uint disposition);

    public uint EstablishContext(out nint context) => unchecked((uint)SCardEstablishContext(PcscConstants.ScopeSystem, 0, 0, out context));

    public uint ReleaseContext(nint context) => unchecked((uint)SCardReleaseContext(context));

    public uint ListReaders(nint context, out IReadOnlyList<string> readers)
    {
        readers = [];
        uint length = 0;
        var rv = unchecked((uint)SCardListReadersW(context, null, null, ref length));
        if (rv != PcscError.Success)
            return rv;
        var buffer = new char[length];
        fixed (char* p = buffer)
            rv = unchecked((uint)SCardListReadersW(context, null, p, ref length));
        if (rv == PcscError.Success)
            readers = PcscLiteApi.SplitMultiString(new string(buffer, 0, (int)length));
        return rv;
    }

    public uint GetStatusChange(nint context, uint timeoutMs, ReaderState[] states)
    {
        var native = new ScardReaderState[states.Length];
        var names = new nint[states.Length];
        try
        {
            for (var i = 0; i < states.Length; i++)
            {
                names[i] = Marshal.StringToCoTaskMemUni(states[i].Reader);
                native[i].Reader = names[i];
                native[i].CurrentState = states[i].CurrentState;
            }
            uint rv;
            fixed (ScardReaderState* p = native)
                rv = unchecked((uint)SCardGetStatusChangeW(context, timeoutMs, p, (uint)states.Length));
            for (var i = 0; i < states.Length; i++)
            {
                states[i].EventState = native[i].EventState;
                var n = Math.Min(36, (int)native[i].AtrLength);
                var atr = new byte[n];
                for (var j = 0; j < n; j++)
                    atr[j] = native[i].Atr[j];
                states[i].Atr = atr;
            }
            return rv;
        }
        finally
        {
            foreach (var name in names)
                Marshal.FreeCoTaskMem(name);
        }
    }

    public uint Connect(nint context, string reader, out nint card, out uint protocol)
    {
        fixed (char* p = reader + "\0")
            return unchecked((uint)SCardConnectW(context, p, PcscConstants.ShareShared, PcscConstants.ProtocolT0 | PcscConstants.ProtocolT1, out card, out protocol));
    }

    public uint Transmit(nint card, uint protocol, ReadOnlySpan<byte> command, Span<byte> response, out int received)
    {
        var pci = new ScardIoRequest { Protocol = protocol, PciLength = (uint)sizeof(ScardIoRequest) };
        var length = (uint)response.Length;
        uint rv;
        fixed (byte* send = command)
        fixed (byte* recv = response)
            rv = unchecked((uint)SCardTransmit(card, &pci, send, (uint)command.Length, null, recv, ref length));
        received = (int)length;
        return rv;
    }

    public uint Disconnect(nint card, uint disposition) => unchecked((uint)SCardDisconnect(card, disposition));
}
