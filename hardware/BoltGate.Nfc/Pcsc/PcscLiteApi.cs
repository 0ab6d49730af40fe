using System.Runtime.InteropServices;
using System.Text;

namespace BoltGate.Nfc.Pcsc;

/// <summary>
/// pcsc-lite (libpcsclite.so.1) on Linux: DWORD and LONG are C <c>unsigned long</c>/<c>long</c>
/// (64-bit on 64-bit Linux), SCARDCONTEXT/SCARDHANDLE are <c>long</c>, strings are UTF-8,
/// SCARD_READERSTATE.rgbAtr is 33 bytes and the struct uses natural alignment.
/// </summary>
internal sealed unsafe class PcscLiteApi : IPcscApi
{
    private const string Lib = "libpcsclite.so.1";

    [StructLayout(LayoutKind.Sequential)]
    private struct ScardReaderState
    {
        public nint Reader;
        public nint UserData;
        public nuint CurrentState;
        public nuint EventState;
        public nuint AtrLength;
        public fixed byte Atr[33];
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ScardIoRequest
    {
        public nuint Protocol;
        public nuint PciLength;
    }

    [DllImport(Lib)]
    private static extern nint SCardEstablishContext(nuint scope, nint reserved1, nint reserved2, out nint context);

    [DllImport(Lib)]
    private static extern nint SCardReleaseContext(nint context);

    [DllImport(Lib)]
    private static extern nint SCardListReaders(nint context, byte* groups, byte* readers, ref nuint length);

    [DllImport(Lib)]
    private static extern nint SCardGetStatusChange(nint context, nuint timeout, ScardReaderState* states, nuint count);

    [DllImport(Lib)]
    private static extern nint SCardConnect(nint context, byte* reader, nuint shareMode, nuint preferredProtocols, out nint card, out nuint activeProtocol);

    [DllImport(Lib)]
    private static extern nint SCardTransmit(nint card, ScardIoRequest* sendPci, byte* send, nuint sendLength, ScardIoRequest* recvPci, byte* recv, ref nuint recvLength);

    [DllImport(Lib)]
    private static extern nint SCardDisconnect(nint card, nuint disposition);

    private static uint Code(nint rv) => unchecked((uint)(long)rv);

    public uint EstablishContext(out nint context) => Code(SCardEstablishContext(PcscConstants.ScopeSystem, 0, 0, out context));

    public uint ReleaseContext(nint context) => Code(SCardReleaseContext(context));

    public uint ListReaders(nint context, out IReadOnlyList<string> readers)
    {
        readers = [];
        nuint length = 0;
        var rv = Code(SCardListReaders(context, null, null, ref length));
        if (rv != PcscError.Success)
            return rv;
        var buffer = new byte[(int)length];
        fixed (byte* p = buffer)
            rv = Code(SCardListReaders(context, null, p, ref length));
        if (rv == PcscError.Success)
            readers = SplitMultiString(Encoding.UTF8.GetString(buffer, 0, (int)length));
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
                rv = Code(SCardGetStatusChange(context, timeoutMs, p, (nuint)states.Length));
            for (var i = 0; i < states.Length; i++)
            {
                states[i].EventState = (uint)native[i].EventState;
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
        nuint active;
        uint rv;
        fixed (byte* p = name)
            rv = Code(SCardConnect(context, p, PcscConstants.ShareShared, PcscConstants.ProtocolT0 | PcscConstants.ProtocolT1, out card, out active));
        protocol = (uint)active;
        return rv;
    }

    public uint Transmit(nint card, uint protocol, ReadOnlySpan<byte> command, Span<byte> response, out int received)
    {
        var pci = new ScardIoRequest { Protocol = protocol, PciLength = (nuint)sizeof(ScardIoRequest) };
        var length = (nuint)response.Length;
        uint rv;
        fixed (byte* send = command)
        fixed (byte* recv = response)
            rv = Code(SCardTransmit(card, &pci, send, (nuint)command.Length, null, recv, ref length));
        received = (int)length;
        return rv;
    }

    public uint Disconnect(nint card, uint disposition) => Code(SCardDisconnect(card, disposition));

    internal static IReadOnlyList<string> SplitMultiString(string multi) =>
        multi.Split('\0', StringSplitOptions.RemoveEmptyEntries);
}
