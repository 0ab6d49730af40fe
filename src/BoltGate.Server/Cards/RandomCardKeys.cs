using System.Security.Cryptography;
using BoltGate.Core.Crypto;
using BoltGate.Core.Keys;

namespace BoltGate.Server.Cards;

/// <summary>Five fresh random keys for a card whose keys are stored (not derived), as the 80 bytes the store keeps.</summary>
public static class RandomCardKeys
{
    public static byte[] NewBytes() => RandomNumberGenerator.GetBytes(5 * Key128.Length);

    /// <summary>K0..K4 from the 80 stored bytes (the caller wipes them when done).</summary>
    public static CardKeys FromBytes(ReadOnlySpan<byte> raw) =>
        new(Key(raw, 0), Key(raw, 1), Key(raw, 2), Key(raw, 3), Key(raw, 4));

    private static Key128 Key(ReadOnlySpan<byte> raw, int index) => Key128.FromSpan(raw.Slice(index * Key128.Length, Key128.Length));
}
