namespace BoltGate.Nfc.Ntag424;

/// <summary>
/// A file's access conditions: each a key number 0..4, <see cref="Free"/> (E) or <see cref="Never"/> (F).
/// On the wire: byte0 = ReadWrite&lt;&lt;4 | Change, byte1 = Read&lt;&lt;4 | Write.
/// </summary>
public readonly record struct AccessRights(byte Read, byte Write, byte ReadWrite, byte Change)
{
    public const byte Free = 0xE;
    public const byte Never = 0xF;

    public void WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)((ReadWrite << 4) | Change);
        destination[1] = (byte)((Read << 4) | Write);
    }

    public static AccessRights FromBytes(ReadOnlySpan<byte> source) =>
        new((byte)(source[1] >> 4), (byte)(source[1] & 0xF), (byte)(source[0] >> 4), (byte)(source[0] & 0xF));

    /// <summary>True when access condition <paramref name="condition"/> is met by the session key (null = not authenticated).</summary>
    public static bool Allows(byte condition, byte? authenticatedKey) =>
        condition == Free || (condition <= 4 && authenticatedKey == condition);

    public override string ToString() => $"R={Nibble(Read)} W={Nibble(Write)} RW={Nibble(ReadWrite)} C={Nibble(Change)}";

    private static string Nibble(byte n) => n switch { Free => "E", Never => "F", _ => n.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
