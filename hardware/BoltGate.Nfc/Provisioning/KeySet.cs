using System.Security.Cryptography;
using BoltGate.Core.Crypto;

namespace BoltGate.Nfc.Provisioning;

/// <summary>The five application keys K0..K4 of one card. Never printed: <see cref="ToString"/> is redacted.</summary>
public sealed class KeySet : IEquatable<KeySet>
{
    private readonly byte[][] _keys;

    public KeySet(IReadOnlyList<byte[]> keys)
    {
        if (keys.Count != 5 || keys.Any(k => k is null || k.Length != 16))
            throw new ArgumentException("A key set is five 16-byte keys.", nameof(keys));
        _keys = keys.Select(k => k.ToArray()).ToArray();
    }

    /// <summary>Factory keys: all zero.</summary>
    public static KeySet Factory { get; } = new([new byte[16], new byte[16], new byte[16], new byte[16], new byte[16]]);

    public ReadOnlySpan<byte> this[int keyNo] => _keys[keyNo];

    public byte[] Key(int keyNo) => _keys[keyNo].ToArray();

    public IReadOnlyList<string> ToHex() => _keys.Select(k => Hex.Lower(k)).ToList();

    public static KeySet FromHex(IReadOnlyList<string?> hex)
    {
        if (hex.Count != 5)
            throw new FormatException("Five keys expected.");
        var keys = new byte[5][];
        for (var i = 0; i < 5; i++)
            keys[i] = Hex.TryDecode(hex[i], 16) ?? throw new FormatException($"Key K{i} is not 32 hex characters.");
        return new KeySet(keys);
    }

    public bool Equals(KeySet? other) =>
        other is not null && Enumerable.Range(0, 5).All(i => CryptographicOperations.FixedTimeEquals(_keys[i], other._keys[i]));

    public override bool Equals(object? obj) => Equals(obj as KeySet);

    public override int GetHashCode() => _keys[0][0] | (_keys[1][0] << 8);

    public override string ToString() => "KeySet(K0..K4 redacted)";
}
