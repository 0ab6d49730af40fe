using System.Runtime.InteropServices;
using System.Text;

namespace BoltGate.Nfc.Pcsc;

/// <summary>
/// macOS PCSC.framework: pcsc-lite headers with DWORD = uint32_t, LONG = int32_t, SCARDCONTEXT and
/// SCARDHANDLE = int32_t, UTF-8 names, and SCARD_READERSTATE declared under <c>#pragma pack(1)</c>
/// with a 33-byte ATR.
/// </summary>
internal sealed unsafe class MacPcscApi : IPcscApi
{
    private const string Lib = "/System/Library/Frameworks/PCSC.framework/PCSC";

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct ScardReaderState
    {
        public nint Reader;
        public nint UserData;
        public uint CurrentState;
        public uint EventState;
        public uint AtrLength;
        public fixed byte Atr[33];
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ScardIoRequest
    {
        public uint Protocol;
        public uint PciLength;
    }

    [DllImport(Lib)]
    private static extern int SCardEstablishContext(uint scope, nint reserved1, nint reserved2, out int context);

    [DllImport(Lib)]
    private static extern int SCardReleaseContext(int context);

    [DllImport(Lib)]
    private static extern int SCardListReaders(int context, byte* groups, byte* readers, ref uint length);

    [DllImport(Lib)]
    private static extern int SCardGetStatusChange(int context, uint timeout, ScardReaderState* states, uint count);

    [DllImport(Lib)]
    private static extern int SCardConnect(int context, byte* reader, uint shareMode, uint preferredProtocols, out int card, out uint activeProtocol);

    [DllImport(Lib)]
    private static extern int SCardTransmit(int card, ScardIoRequest* sendPci, byte* send, uint sendLength, ScardIoRequest* recvPci, byte* recv, ref uint recvLength);

    [DllImport(Lib)]
    private static extern int SCardDisconnect(int card, uint disposition);

    public uint EstablishContext(out nint context)
    {
        var rv = unchecked((uint)SCardEstablishContext(PcscConstants.ScopeSystem, 0, 0, out var c));
        context = c;
        return rv;
    }

    public uint ReleaseContext(nint context) => unchecked((uint)SCardReleaseContext((int)context));

    public uint ListReaders(nint context, out IReadOnlyList<string> readers)
    {
        readers = [];
        uint length = 0;
        var rv = unchecked((uint)SCardListReaders((int)context, null, null, ref length));
        if (rv != PcscError.Success)
            return rv;
        var buffer = new byte[length];
        fixed (byte* p = buffer)
            rv = unchecked((uint)SCardListReaders((int)context, null, p, ref length));
        if (rv == PcscError.Success)
            readers = PcscLiteApi.SplitMultiString(Encoding.UTF8.GetString(buffer, 0, (int)length));
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
                names[i] = Marshal.StringToCoTaskMemUTF8(states[i].Reader);
                native[i].Reader = names[i];
                native[i].CurrentState = states[i].CurrentState;
            }
            uint rv;
            fixed (ScardReaderState* p = native)
                rv = unchecked((uint)SCardGetStatusChange((int)context, timeoutMs, p, (uint)states.Length));
            for (var i = 0; i < states.Length; i++)
            {
                states[i].EventState = native[i].EventState;
                var n = Math.Min(33, (int)native[i].AtrLength);
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
        var name = Encoding.UTF8.GetBytes(reader + "\0");
        uint rv;
        int handle;
        fixed (byte* p = name)
            rv = unchecked((uint)SCardConnect((int)context, p, PcscConstants.ShareShared, PcscConstants.ProtocolT0 | PcscConstants.ProtocolT1, out handle, out protocol));
        card = handle;
        return rv;
    }

    public uint Transmit(nint card, uint protocol, ReadOnlySpan<byte> command, Span<byte> response, out int received)
    {
        var pci = new ScardIoRequest { Protocol = protocol, PciLength = (uint)sizeof(ScardIoRequest) };
        var length = (uint)response.Length;
        uint rv;
        fixed (byte* send = command)
        fixed (byte* recv = response)
            rv = unchecked((uint)SCardTransmit((int)card, &pci, send, (uint)command.Length, null, recv, ref length));
        received = (int)length;
        return rv;
    }

    public uint Disconnect(nint card, uint disposition) => unchecked((uint)SCardDisconnect((int)card, disposition));
}
