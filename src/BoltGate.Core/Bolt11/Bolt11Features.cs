namespace BoltGate.Core.Bolt11;

/// <summary>
/// The BOLT 9 features allowed in an invoice's <c>9</c> field (context "9"), their dependencies,
/// and conversion between bit lists and the field's 5-bit groups.
/// </summary>
public static class Bolt11Features
{
    public const int VarOnionOptin = 8;
    public const int PaymentSecret = 14;
    public const int BasicMpp = 16;
    public const int RouteBlinding = 24;
    public const int AttributionData = 36;
    public const int PaymentMetadata = 48;

    /// <summary>The even ("required") bit of every feature this reader knows in invoices.</summary>
    public static IReadOnlyList<int> KnownEvenBits { get; } =
        [VarOnionOptin, PaymentSecret, BasicMpp, RouteBlinding, AttributionData, PaymentMetadata];

    /// <summary>Feature (even bit) -> the feature (even bit) it depends on, per BOLT 9.</summary>
    internal static readonly (int Feature, int DependsOn)[] Dependencies =
    [
        (PaymentSecret, VarOnionOptin),
        (BasicMpp, PaymentSecret),
        (RouteBlinding, VarOnionOptin),
    ];

    /// <summary>The field's default when the encoder is not told: var_onion_optin and payment_secret required, basic_mpp optional.</summary>
    public static IReadOnlyList<int> Default { get; } = [VarOnionOptin, PaymentSecret, BasicMpp + 1];

    public static bool IsKnown(int bit) => KnownEvenBits.Contains(bit & ~1);

    internal static bool HasEither(IReadOnlyList<int> bits, int evenBit) => bits.Contains(evenBit) || bits.Contains(evenBit + 1);

    /// <summary>Bits set in the big-endian 5-bit field, ascending.</summary>
    internal static List<int> BitsFromGroups(ReadOnlySpan<byte> groups)
    {
        var bits = new List<int>();
        for (var i = groups.Length - 1; i >= 0; i--)
        {
            var bitBase = (groups.Length - 1 - i) * 5;
            for (var j = 0; j < 5; j++)
            {
                if ((groups[i] & (1 << j)) != 0)
                    bits.Add(bitBase + j);
            }
        }
        return bits;
    }

    /// <summary>Minimal big-endian byte vector of <paramref name="bits"/> (empty when none).</summary>
    internal static byte[] BytesFromBits(IReadOnlyList<int> bits)
    {
        if (bits.Count == 0)
            return [];
        var bytes = new byte[bits.Max() / 8 + 1];
        foreach (var bit in bits)
            bytes[bytes.Length - 1 - bit / 8] |= (byte)(1 << (bit % 8));
        return bytes;
    }

    /// <summary>Minimal 5-bit groups (big-endian) of <paramref name="bits"/>.</summary>
    internal static byte[] GroupsFromBits(IReadOnlyList<int> bits)
    {
        if (bits.Count == 0)
            return [];
        var groups = new byte[bits.Max() / 5 + 1];
        foreach (var bit in bits)
            groups[groups.Length - 1 - bit / 5] |= (byte)(1 << (bit % 5));
        return groups;
    }
}
