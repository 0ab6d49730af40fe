using System.Security.Cryptography;

namespace BoltGate.Core.Crypto;

/// <summary>
/// An immutable 16-byte secret key (a card's K0..K4, an issuer key). Equality is constant-time;
/// <see cref="ToString"/> is redacted so a key never reaches a log by accident. Use
/// <see cref="ToHex"/> only where the key must leave the process (card programming).
/// </summary>
public readonly struct Key128 : IEquatable<Key128>
{
    public const int Length = 16;

    private static readonly byte[] Zero = new byte[Length];

    private readonly byte[]? _bytes;

    private Key128(byte[] bytes) => _bytes = bytes;

    public ReadOnlySpan<byte> Span => _bytes ?? Zero;

    public static Key128 FromSpan(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new ArgumentException($"A key is {Length} bytes, got {bytes.Length}.", nameof(bytes));
        return new Key128(bytes.ToArray());
    }

    /// <summary>Parses exactly 32 hex characters, either case. Never throws.</summary>
    public static bool TryParseHex(string? hex, out Key128 key)
    {
        var bytes = Hex.TryDecode(hex, Length);
        key = bytes is null ? default : new Key128(bytes);
        return bytes is not null;
    }

    public byte[] ToArray() => Span.ToArray();

    /// <summary>Lower-case hex of the key material. Deliberate: never use it for logging.</summary>
    public string ToHex() => Hex.Lower(Span);

    public bool Equals(Key128 other) => CryptographicOperations.FixedTimeEquals(Span, other.Span);

    public override bool Equals(object? obj) => obj is Key128 other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(SHA256.HashData(Span));
        return hash.ToHashCode();
    }

    public static bool operator ==(Key128 a, Key128 b) => a.Equals(b);

    public static bool operator !=(Key128 a, Key128 b) => !a.Equals(b);

    public override string ToString() => "Key128(redacted)";
}
