using BoltGate.Core.Crypto;

namespace BoltGate.Nfc.Tests.Support;

/// <summary>Hex as the datasheets and AN12196 print it: <c>X("90 AF 00")</c> to bytes, <c>S(bytes)</c> back to upper-case hex.</summary>
internal static class HexNotation
{
    public static byte[] X(string hex) => Hex.Decode(hex.Replace(" ", "", StringComparison.Ordinal));

    public static string S(ReadOnlySpan<byte> bytes) => Hex.Upper(bytes);

    public static byte[] Zero16 => new byte[16];
}
