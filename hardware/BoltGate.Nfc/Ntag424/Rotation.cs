namespace BoltGate.Nfc.Ntag424;

internal static class Rotation
{
    /// <summary>Rotates left by one byte: RndB' = RndB[1..15] || RndB[0].</summary>
    public static byte[] Left(ReadOnlySpan<byte> value)
    {
        var r = new byte[value.Length];
        value[1..].CopyTo(r);
        r[^1] = value[0];
        return r;
    }
}
