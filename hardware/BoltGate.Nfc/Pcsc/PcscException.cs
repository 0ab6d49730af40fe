namespace BoltGate.Nfc.Pcsc;

/// <summary>The PC/SC layer failed (no service, no reader, sharing violation...). Infrastructure, not a card answer.</summary>
public sealed class PcscException(string operation, uint code)
    : Exception($"{operation}: {PcscError.Describe(code)} (0x{code:X8})")
{
    public uint Code { get; } = code;
}
