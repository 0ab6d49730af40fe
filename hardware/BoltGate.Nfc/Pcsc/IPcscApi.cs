namespace BoltGate.Nfc.Pcsc;

/// <summary>
/// The few PC/SC calls the tool needs, with platform types normalised: handles as nint, return codes
/// as uint. One implementation per platform ABI (pcsc-lite on Linux: DWORD = unsigned long, 64-bit
/// on x64, ANSI/UTF-8 names; WinSCard: DWORD 32-bit, UTF-16 "W" functions; macOS PCSC.framework:
/// DWORD 32-bit, 32-bit handles, packed reader-state struct).
/// </summary>
internal interface IPcscApi
{
    uint EstablishContext(out nint context);

    uint ReleaseContext(nint context);

    uint ListReaders(nint context, out IReadOnlyList<string> readers);

    /// <summary>Waits up to <paramref name="timeoutMs"/> for a state change; <paramref name="states"/> carry current state in, event state out.</summary>
    uint GetStatusChange(nint context, uint timeoutMs, ReaderState[] states);

    uint Connect(nint context, string reader, out nint card, out uint protocol);

    uint Transmit(nint card, uint protocol, ReadOnlySpan<byte> command, Span<byte> response, out int received);

    uint Disconnect(nint card, uint disposition);
}

/// <summary>A reader's state for SCardGetStatusChange, platform-neutral.</summary>
internal sealed class ReaderState(string reader)
{
    public string Reader { get; } = reader;

    public uint CurrentState { get; set; }

    public uint EventState { get; set; }

    public byte[] Atr { get; set; } = [];
}

internal static class PcscConstants
{
    public const uint ScopeSystem = 2;
    public const uint ShareShared = 2;
    public const uint ProtocolT0 = 1;
    public const uint ProtocolT1 = 2;
    public const uint LeaveCard = 0;
    public const uint ResetCard = 1;
    public const uint StateUnaware = 0x0000;
    public const uint StateChanged = 0x0002;
    public const uint StateUnavailable = 0x0008;
    public const uint StateEmpty = 0x0010;
    public const uint StatePresent = 0x0020;
    public const uint StateInUse = 0x0100;
    public const uint StateMute = 0x0200;
}
