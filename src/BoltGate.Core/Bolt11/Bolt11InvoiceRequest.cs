using BoltGate.Core.Bitcoin;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;

namespace BoltGate.Core.Bolt11;

/// <summary>
/// What <see cref="Bolt11Encoder"/> writes into an invoice. Give exactly one of
/// <see cref="Description"/> and <see cref="DescriptionHash"/>.
/// </summary>
/// <param name="Expiry">Written as an <c>x</c> field when set (whole seconds); readers assume 3600 s when absent.</param>
/// <param name="FeatureBits">The <c>9</c> field; null means <see cref="Bolt11Features.Default"/> (plus optional payment_metadata when <paramref name="Metadata"/> is set).</param>
/// <param name="IncludePayeeKey">Write an <c>n</c> field so readers verify against it instead of recovering the key.</param>
public sealed record Bolt11InvoiceRequest(
    BitcoinNetwork Network,
    Msat? Amount,
    DateTimeOffset Timestamp,
    Bytes32 PaymentHash,
    Bytes32 PaymentSecret,
    string? Description = null,
    Bytes32? DescriptionHash = null,
    TimeSpan? Expiry = null,
    int MinFinalCltvExpiry = Bolt11Invoice.DefaultMinFinalCltvExpiry,
    IReadOnlyList<int>? FeatureBits = null,
    IReadOnlyList<RouteHint>? RouteHints = null,
    byte[]? Metadata = null,
    bool IncludePayeeKey = false);
