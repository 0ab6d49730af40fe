using BoltGate.Core.Bitcoin;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;

namespace BoltGate.Core.Bolt11;

/// <summary>
/// A BOLT 11 invoice that <see cref="Bolt11Decoder"/> has parsed and whose signature it has verified.
/// Expiry is not judged here: compare <see cref="ExpiresAt"/> with the caller's <see cref="TimeProvider"/>.
/// </summary>
public sealed record Bolt11Invoice
{
    public const int DefaultExpirySeconds = 3600;
    public const int DefaultMinFinalCltvExpiry = 18;

    /// <summary>The invoice text as given (after stripping a <c>lightning:</c> prefix).</summary>
    public required string Raw { get; init; }

    /// <summary>The lower-case human-readable part, e.g. <c>lnbc2500u</c>.</summary>
    public required string HumanReadablePart { get; init; }

    public required BitcoinNetwork Network { get; init; }

    /// <summary>The amount the payee asks for; null for "any amount" invoices.</summary>
    public required Msat? Amount { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The <c>x</c> field, or 3600 s when absent.</summary>
    public required TimeSpan Expiry { get; init; }

    /// <summary>True when the invoice carried an <c>x</c> field.</summary>
    public required bool HasExplicitExpiry { get; init; }

    public DateTimeOffset ExpiresAt => Timestamp + Expiry;

    public required Bytes32 PaymentHash { get; init; }

    /// <summary>The <c>s</c> field. The decoder rejects invoices without one, so it is always set on a decoded invoice.</summary>
    public required Bytes32? PaymentSecret { get; init; }

    public required string? Description { get; init; }

    public required Bytes32? DescriptionHash { get; init; }

    /// <summary>33-byte compressed payee node key: the <c>n</c> field, or the key recovered from the signature.</summary>
    public required byte[] PayeePubKey { get; init; }

    public string PayeeHex => Convert.ToHexStringLower(PayeePubKey);

    /// <summary>True when the payee key came from an <c>n</c> field (verified against it), false when recovered.</summary>
    public required bool PayeeFromNField { get; init; }

    /// <summary>The <c>c</c> field, or 18 when absent.</summary>
    public required int MinFinalCltvExpiry { get; init; }

    public required IReadOnlyList<RouteHint> RouteHints { get; init; }

    public required IReadOnlyList<Fallback> Fallbacks { get; init; }

    /// <summary>The <c>9</c> field as a minimal big-endian byte vector (bit 0 = least significant bit of the last byte); null when absent.</summary>
    public required ReadOnlyMemory<byte>? Features { get; init; }

    /// <summary>The set feature bits of the <c>9</c> field, ascending.</summary>
    public required IReadOnlyList<int> FeatureBits { get; init; }

    /// <summary>The <c>m</c> field (payment metadata), or null.</summary>
    public required byte[]? Metadata { get; init; }

    /// <summary>SHA-256 over the lower-case hrp and the data part without signature: what the payee signed.</summary>
    public required Bytes32 SigningHash { get; init; }

    /// <summary>The 64-byte compact signature r || s as transmitted (s may be high when there is no <c>n</c>).</summary>
    public required byte[] Signature { get; init; }

    public required int RecoveryId { get; init; }

    public bool HasFeature(int bit) => FeatureBits.Contains(bit);

    /// <summary>True at and after <see cref="ExpiresAt"/>.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;
}
