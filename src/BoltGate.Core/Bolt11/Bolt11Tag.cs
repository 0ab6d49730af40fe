using BoltGate.Core.Bitcoin;

namespace BoltGate.Core.Bolt11;

/// <summary>The 5-bit type values of the BOLT 11 tagged fields this codec reads or writes.</summary>
internal static class Bolt11Tag
{
    public const int PaymentHash = 1;         // p
    public const int RouteHint = 3;           // r
    public const int Features = 5;            // 9
    public const int Expiry = 6;              // x
    public const int Fallback = 9;            // f
    public const int Description = 13;        // d
    public const int PaymentSecret = 16;      // s
    public const int PayeeKey = 19;           // n
    public const int DescriptionHash = 23;    // h
    public const int MinFinalCltvExpiry = 24; // c
    public const int Metadata = 27;           // m

    public const int HashGroups = 52;   // 256 bits in 5-bit groups (p, s, h)
    public const int PubKeyGroups = 53; // 264 bits (n)
    public const int TimestampGroups = 7;
    public const int SignatureGroups = 104;

    /// <summary>The bech32 character naming a field type, for messages.</summary>
    public static char Letter(int type) => Bech32.Charset[type];
}
