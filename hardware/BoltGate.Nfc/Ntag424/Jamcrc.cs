namespace BoltGate.Nfc.Ntag424;

/// <summary>
/// CRC-32 (reflected, polynomial 0xEDB88320, initial 0xFFFFFFFF) without the final XOR — "JAMCRC".
/// ChangeKey protects a new key 1..4 with it, little-endian. The datasheet says IEEE 802.3 FCS, the
/// chip expects JAMCRC.
/// </summary>
public static class Jamcrc
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
