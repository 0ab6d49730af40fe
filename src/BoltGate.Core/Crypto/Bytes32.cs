using System.Security.Cryptography;

namespace BoltGate.Core.Crypto;

/// <summary>
/// An immutable 32-byte value (payment hash, preimage) with value equality and hex text.
/// </summary>
public readonly struct Bytes32 : IEquatable<Bytes32>
{
    public const int Length = 32;
    private readonly byte[]? _bytes;

    private Bytes32(byte[] bytes) => _bytes = bytes;

    public static Bytes32 FromSpan(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new ArgumentException($"Expected {Length} bytes, got {bytes.Length}.", nameof(bytes));
        return new Bytes32(bytes.ToArray());
    }

    public static bool TryParseHex(string? hex, out Bytes32 value)
    {
        var bytes = Hex.TryDecode(hex, Length);
        value = bytes is null ? default : new Bytes32(bytes);
        return bytes is not null;
    }

    public static Bytes32 ParseHex(string hex) =>
        TryParseHex(hex, out var value) ? value : throw new FormatException("Expected 64 hex characters.");

    /// <summary>SHA-256 of <paramref name="data"/> (a preimage's payment hash).</summary>
    public static Bytes32 Sha256(ReadOnlySpan<byte> data) => new(SHA256.HashData(data));

    public ReadOnlySpan<byte> Span => _bytes ?? new byte[Length];

    public byte[] ToArray() => Span.ToArray();

    public string ToHex() => Hex.Lower(Span);

    public bool Equals(Bytes32 other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is Bytes32 other && Equals(other);

    public override int GetHashCode() => BitConverter.ToInt32(Span[..4]);

    public static bool operator ==(Bytes32 a, Bytes32 b) => a.Equals(b);

    public static bool operator !=(Bytes32 a, Bytes32 b) => !a.Equals(b);

    public override string ToString() => ToHex();
}
