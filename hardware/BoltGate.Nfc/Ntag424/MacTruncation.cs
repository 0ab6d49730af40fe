using BoltGate.Core.Sun;

namespace BoltGate.Nfc.Ntag424;

/// <summary>The NTAG 424 8-byte MAC: the odd 0-based bytes (1, 3, ..., 15) of the 16-byte CMAC.
/// Secure messaging and SDM use the same rule, so this defers to Core's <see cref="SunMac.Truncate"/>.</summary>
public static class MacTruncation
{
    public static byte[] Truncate(ReadOnlySpan<byte> cmac)
    {
        if (cmac.Length != 16)
            throw new ArgumentException("A CMAC is 16 bytes.", nameof(cmac));
        var t = new byte[8];
        SunMac.Truncate(cmac, t);
        return t;
    }
}
