namespace BoltGate.Core.Sun;

/// <summary>
/// The 7-byte UID of an NTAG 424 DNA card (as mirrored in PICCData, MSB first). Stored inline, so
/// copying and comparing allocate nothing. <see cref="Hex"/> is lower case, as Boltcard docs print it.
/// </summary>
public readonly record struct CardUid
{
    public const int Length = 7;

    private readonly ulong _value;

    private CardUid(ulong value) => _value = value;

    /// <summary>Lower-case hex, 14 characters.</summary>
    public string Hex
    {
        get
        {
            Span<byte> bytes = stackalloc byte[Length];
            CopyTo(bytes);
            return Crypto.Hex.Lower(bytes);
        }
    }

    public static CardUid FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new ArgumentException($"A card UID is {Length} bytes, got {bytes.Length}.", nameof(bytes));
        ulong value = 0;
        foreach (var b in bytes)
            value = (value << 8) | b;
        return new CardUid(value);
    }

    /// <summary>Parses exactly 14 hex characters, either case. Never throws.</summary>
    public static bool TryParse(string? hex, out CardUid uid)
    {
        Span<byte> bytes = stackalloc byte[Length];
        if (hex is null || !Crypto.Hex.TryDecode(hex, bytes))
        {
            uid = default;
            return false;
        }
        uid = FromBytes(bytes);
        return true;
    }

    public static CardUid Parse(string hex) =>
        TryParse(hex, out var uid) ? uid : throw new FormatException("A card UID is 14 hex characters.");

    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Length)
            throw new ArgumentException($"The destination needs {Length} bytes.", nameof(destination));
        for (var i = 0; i < Length; i++)
            destination[i] = (byte)(_value >> (8 * (Length - 1 - i)));
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }

    public override string ToString() => Hex;
}
