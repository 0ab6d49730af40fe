using System.Text.Json.Serialization;
using BoltGate.Core.Money;

namespace BoltGate.Core.Lnurl;

/// <summary>
/// The LUD-03 answer to a withdraw link's first GET, with LUD-19's optional <c>payLink</c> and the
/// Boltcard <c>pinLimit</c> (amounts at or above it need a PIN). Serialize with <see cref="LnurlJsonContext"/>.
/// </summary>
public sealed record WithdrawRequest
{
    public const string WithdrawTag = "withdrawRequest";

    [JsonPropertyName("tag")]
    public string Tag { get; init; } = WithdrawTag;

    /// <summary>The URL the wallet or POS calls with <c>k1</c> and <c>pr</c> (the invoice).</summary>
    [JsonPropertyName("callback")]
    public required string Callback { get; init; }

    /// <summary>The one-time secret that ties the callback to this request.</summary>
    [JsonPropertyName("k1")]
    public required string K1 { get; init; }

    [JsonPropertyName("defaultDescription")]
    public required string DefaultDescription { get; init; }

    [JsonPropertyName("minWithdrawable")]
    public required Msat MinWithdrawable { get; init; }

    [JsonPropertyName("maxWithdrawable")]
    public required Msat MaxWithdrawable { get; init; }

    /// <summary>LUD-19: an <c>lnurlp://</c> link to top the balance up.</summary>
    [JsonPropertyName("payLink")]
    public string? PayLink { get; init; }

    /// <summary>LUD-14: a URL the wallet may GET later for a fresh withdrawRequest that shows what the card can pay.</summary>
    [JsonPropertyName("balanceCheck")]
    public string? BalanceCheck { get; init; }

    [JsonPropertyName("pinLimit")]
    public Msat? PinLimit { get; init; }
}
