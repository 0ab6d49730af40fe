using BoltGate.Core.Crypto;

namespace BoltGate.Core.Sun;

/// <summary>
/// The <c>p</c> and <c>c</c> query values of a Boltcard tap, parsed strictly: <c>p</c> exactly 32 hex
/// characters (16 bytes of encrypted PICCData), <c>c</c> exactly 16 (the 8-byte truncated SDMMAC),
/// either case, nothing else (no whitespace, no prefix).
/// </summary>
public readonly record struct SunTap
{
    public const int EncryptedPiccLength = 16;
    public const int MacLength = 8;

    private static readonly byte[] Zero = new byte[EncryptedPiccLength + MacLength];

    private readonly byte[]? _bytes;

    private SunTap(byte[] bytes) => _bytes = bytes;

    /// <summary>The 16 bytes of <c>p</c>.</summary>
    public ReadOnlySpan<byte> EncryptedPicc => Bytes.AsSpan(0, EncryptedPiccLength);

    /// <summary>The 8 bytes of <c>c</c>.</summary>
    public ReadOnlySpan<byte> Mac => Bytes.AsSpan(EncryptedPiccLength, MacLength);

    public ReadOnlyMemory<byte> EncryptedPiccMemory => Bytes.AsMemory(0, EncryptedPiccLength);

    public ReadOnlyMemory<byte> MacMemory => Bytes.AsMemory(EncryptedPiccLength, MacLength);

    /// <summary><c>p</c> as the chip writes it (upper-case hex).</summary>
    public string P => Hex.Upper(EncryptedPicc);

    /// <summary><c>c</c> as the chip writes it (upper-case hex).</summary>
    public string C => Hex.Upper(Mac);

    private byte[] Bytes => _bytes ?? Zero;

    /// <summary>Parses <c>p</c> and <c>c</c>. Never throws; false for anything but exact hex.</summary>
    public static bool TryParse(string? p, string? c, out SunTap tap)
    {
        var bytes = new byte[EncryptedPiccLength + MacLength];
        if (TryDecode(p, c, bytes))
        {
            tap = new SunTap(bytes);
            return true;
        }
        tap = default;
        return false;
    }

    public static SunTap FromBytes(ReadOnlySpan<byte> encryptedPicc, ReadOnlySpan<byte> mac)
    {
        if (encryptedPicc.Length != EncryptedPiccLength)
            throw new ArgumentException($"p is {EncryptedPiccLength} bytes.", nameof(encryptedPicc));
        if (mac.Length != MacLength)
            throw new ArgumentException($"c is {MacLength} bytes.", nameof(mac));
        var bytes = new byte[EncryptedPiccLength + MacLength];
        encryptedPicc.CopyTo(bytes);
        mac.CopyTo(bytes.AsSpan(EncryptedPiccLength));
        return new SunTap(bytes);
    }

    /// <summary>Decodes into 24 bytes: p (16) then c (8). Allocation-free.</summary>
    internal static bool TryDecode(string? p, string? c, Span<byte> destination) =>
        p is not null && c is not null
        && Hex.TryDecode(p, destination[..EncryptedPiccLength])
        && Hex.TryDecode(c, destination.Slice(EncryptedPiccLength, MacLength));

    public bool Equals(SunTap other) => Bytes.AsSpan().SequenceEqual(other.Bytes);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    public override string ToString() => $"SunTap(p={P}, c={C})";
}
