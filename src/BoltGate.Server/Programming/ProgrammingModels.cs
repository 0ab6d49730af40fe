using System.Text.Json.Serialization;
using BoltGate.Core.Keys;

namespace BoltGate.Server.Programming;

// Wire shapes of card programming. The Bolt Card Programmer app's names are fixed by the app (spec
// §3.1-3.3: snake_case for the QR flow, upper-case K0..K4/LNURLW for deeplinks), hence the attributes.

/// <summary>Admin: <c>POST /api/v1/programming-links</c>.</summary>
public sealed record ProgrammingLinkRequest(string? Name, long? PerTapLimitSat, long? DailyLimitSat, bool? UidPrivacy, int? ExpiresInMinutes);

public sealed record ProgrammingLinkResponse(
    string Code, DateTimeOffset ExpiresAt, string CreateUrl, string ProgramUrl, string ResetUrl, string ProgramDeeplink, string ResetDeeplink)
{
    /// <summary>An SVG QR code of <see cref="CreateUrl"/>, for the app's "Create Bolt Card" scanner.</summary>
    public string? CreateQrSvg { get; init; }
}

/// <summary>Deeplink program body: <c>{"UID":"04..."}</c> (bound case-insensitively).</summary>
public sealed record ProgramRequest(string? Uid);

/// <summary>Deeplink reset body: <c>{"LNURLW":"lnurlw://host/ln?p=..&amp;c=.."}</c>, the card's NDEF as read.</summary>
public sealed record ResetRequest(string? Lnurlw);

/// <summary>The "Create bolt card" answer (spec §3.1, create_bolt_card_response v2).</summary>
public sealed record CreateBoltCardResponse(
    [property: JsonPropertyName("protocol_name")] string ProtocolName,
    [property: JsonPropertyName("protocol_version")] int ProtocolVersion,
    [property: JsonPropertyName("card_name")] string CardName,
    [property: JsonPropertyName("lnurlw_base")] string LnurlwBase,
    [property: JsonPropertyName("k0")] string K0,
    [property: JsonPropertyName("k1")] string K1,
    [property: JsonPropertyName("k2")] string K2,
    [property: JsonPropertyName("k3")] string K3,
    [property: JsonPropertyName("k4")] string K4,
    [property: JsonPropertyName("uid_privacy")] string UidPrivacy,
    [property: JsonPropertyName("cardId")] string CardId)
{
    public static CreateBoltCardResponse From(string name, string lnurlwBase, CardKeys keys, bool uidPrivacy, string cardId) => new(
        "create_bolt_card_response", 2, name, lnurlwBase, keys.K0.ToHex(), keys.K1.ToHex(), keys.K2.ToHex(), keys.K3.ToHex(),
        keys.K4.ToHex(), uidPrivacy ? "Y" : "N", cardId);
}

/// <summary>The deeplink answer (spec §3.3) to program or to reset with: <c>{"LNURLW","K0".."K4"}</c> plus what we know.</summary>
public sealed record DeeplinkKeysResponse(
    [property: JsonPropertyName("LNURLW")] string Lnurlw,
    [property: JsonPropertyName("K0")] string K0,
    [property: JsonPropertyName("K1")] string K1,
    [property: JsonPropertyName("K2")] string K2,
    [property: JsonPropertyName("K3")] string K3,
    [property: JsonPropertyName("K4")] string K4,
    [property: JsonPropertyName("cardId")] string CardId,
    [property: JsonPropertyName("uid")] string? Uid,
    [property: JsonPropertyName("keyVersion")] int KeyVersion)
{
    /// <summary>Program only: whether the app should turn on the card's random UID.</summary>
    [JsonPropertyName("uid_privacy")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UidPrivacy { get; init; }

    /// <summary>Reset only: "wipe", as in the wipe JSON, so tools that read either form accept it.</summary>
    [JsonPropertyName("action")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Action { get; init; }

    /// <summary>Reset only: the money still on the card, which the reset leaves where it is.</summary>
    [JsonPropertyName("balanceMsat")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? BalanceMsat { get; init; }

    public static DeeplinkKeysResponse From(string lnurlw, CardKeys keys, string cardId, string? uid, int keyVersion) => new(
        lnurlw, Upper(keys.K0), Upper(keys.K1), Upper(keys.K2), Upper(keys.K3), Upper(keys.K4), cardId, uid, keyVersion);

    private static string Upper(Core.Crypto.Key128 key) => key.ToHex().ToUpperInvariant();
}

/// <summary>The wipe JSON (spec §3.2) for the app's "Reset keys" screen or <c>boltgate-nfc wipe --wipe-json</c>.</summary>
public sealed record WipeResponse(
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("uid")] string? Uid,
    [property: JsonPropertyName("k0")] string K0,
    [property: JsonPropertyName("k1")] string K1,
    [property: JsonPropertyName("k2")] string K2,
    [property: JsonPropertyName("k3")] string K3,
    [property: JsonPropertyName("k4")] string K4)
{
    public static WipeResponse From(string id, string? uid, CardKeys keys) => new(
        1, "wipe", id, uid, keys.K0.ToHex(), keys.K1.ToHex(), keys.K2.ToHex(), keys.K3.ToHex(), keys.K4.ToHex());
}
