using BoltGate.Core.Crypto;

namespace BoltGate.Nfc.Tests.Support;

internal static class H
{
    public static byte[] X(string hex) => Hex.Decode(hex.Replace(" ", "", StringComparison.Ordinal));

    public static string S(ReadOnlySpan<byte> bytes) => Hex.Upper(bytes);

    public static byte[] Zero16 => new byte[16];
}
