namespace BoltGate.Nfc.Ntag424;

/// <summary>ISO/IEC 9797-1 padding method 2 as the NTAG 424 uses it: always 80 then zeros, a full block when aligned.</summary>
public static class Padding
{
    public static byte[] Pad(ReadOnlySpan<byte> data)
    {
        var length = (data.Length / 16 + 1) * 16;
        var padded = new byte[length];
        data.CopyTo(padded);
        padded[data.Length] = 0x80;
        return padded;
    }

    /// <summary>Strips the padding; false when it is malformed (no 80 marker before trailing zeros).</summary>
    public static bool TryUnpad(ReadOnlySpan<byte> padded, out byte[] data)
    {
        data = [];
        if (padded.Length == 0 || padded.Length % 16 != 0)
            return false;
        var i = padded.Length - 1;
        while (i >= padded.Length - 16 && padded[i] == 0)
            i--;
        if (i < padded.Length - 16 || padded[i] != 0x80)
            return false;
        data = padded[..i].ToArray();
        return true;
    }
}
