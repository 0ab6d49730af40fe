using BoltGate.Core.Crypto;
using BoltGate.Core.Keys;
using BoltGate.Core.Sun;
using BoltGate.Server.Cards;
using BoltGate.Server.Configuration;
using BoltGate.Server.Errors;
using BoltGate.Server.Lnurl;
using BoltGate.Server.Secrets;
using BoltGate.Server.Taps;
using BoltGate.Storage;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Programming;
using Microsoft.AspNetCore.WebUtilities;

namespace BoltGate.Server.Programming;

/// <summary>
/// What the Bolt Card Programmer app's three requests do with a one-time code (spec §3.1-3.3):
/// create a card with fresh random keys (QR flow), program a UID with its derived keys (deeplink), or
/// hand back the keys of the card behind a verified tap so it can be wiped (deeplink reset). Refusals
/// are values in the gateway's error catalog; keys only ever go into the answer.
/// </summary>
public sealed class ProgrammingService(
    BoltGateStore store, GatewaySecrets secrets, TapResolver taps, CardKeyRing keyRing, GatewayOptions options, PublicUrls urls,
    TimeProvider time)
{
    public const int DefaultExpiryMinutes = 60;
    public const int MaxExpiryMinutes = 7 * 24 * 60;

    /// <summary>
    /// A one-time link for one card: the name and limits the card gets, whether the app should turn on
    /// its random UID, and how long the link lives. Only the code's hash is stored; the code is returned this once.
    /// </summary>
    public async Task<CardResult<IssuedLink>> IssueLinkAsync(string? name, long? perTapLimitSat, long? dailyLimitSat, bool? uidPrivacy,
        int? expiresInMinutes, CancellationToken ct)
    {
        if (urls.ProgrammingProblem() is { } urlProblem)
            return new CardError(CardErrorKind.PublicUrlRequired, urlProblem);
        if (CardLimits.NameProblem(name) is { } nameError)
            return nameError;
        var limits = CardLimits.ForNewCard(perTapLimitSat, dailyLimitSat, options);
        if (limits.Error is { } limitError)
            return limitError;
        var minutes = expiresInMinutes ?? DefaultExpiryMinutes;
        if (minutes is < 1 or > MaxExpiryMinutes)
            return CardError.Invalid($"expiresInMinutes must be between 1 and {MaxExpiryMinutes}.");
        var code = ProgrammingCode.New();
        var expiresAt = time.GetUtcNow().AddMinutes(minutes);
        await store.CreateProgrammingCodeAsync(new NewProgrammingCode(ProgrammingCode.Hash(code),
            new ProgrammingGrant(string.IsNullOrWhiteSpace(name) ? "card" : name.Trim(), limits.Value.PerTap, limits.Value.Daily,
                uidPrivacy ?? true), expiresAt), ct).ConfigureAwait(false);
        return new IssuedLink(code, expiresAt);
    }

    public async Task<(CreateBoltCardResponse? Answer, Refusal? Refusal)> CreateAsync(string code, string lnurlwBase, CancellationToken ct)
    {
        var raw = RandomCardKeys.NewBytes();
        var id = Hex.Lower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var result = await store.RedeemForNewCardAsync(ProgrammingCode.Hash(code), grant =>
            new NewCard(id, grant.Name, null, 1, CardKeySource.Imported, raw, grant.PerTapLimit, grant.DailyLimit), ct).ConfigureAwait(false);
        var keys = RandomCardKeys.FromBytes(raw);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(raw);
        if (result is not ProgrammingResult.Done done)
            return (null, Refuse(result));
        // The card binds its UID on its first verified tap, like POST /api/v1/cards without a uid.
        taps.InvalidateImported();
        return (CreateBoltCardResponse.From(done.Card.Name, lnurlwBase, keys, done.Grant.UidPrivacy, done.Card.Id), null);
    }

    public async Task<(DeeplinkKeysResponse? Answer, Refusal? Refusal)> ProgramAsync(string code, string? uidHex, string lnurlwBase, CancellationToken ct)
    {
        if (!CardUid.TryParse(uidHex, out var uid))
            return (null, new Refusal(GatewayError.BadRequest, "Send {\"UID\": \"<14 hex characters>\"}."));
        var id = Hex.Lower(DeterministicKeys.CardId(secrets.IssuerKey, uid));
        var result = await store.RedeemForProgramAsync(ProgrammingCode.Hash(code), id, uid.Hex, ct).ConfigureAwait(false);
        if (result is not ProgrammingResult.Done done)
            return (null, Refuse(result));
        var keys = DeterministicKeys.Derive(secrets.IssuerKey, uid, checked((uint)done.Card.KeyVersion));
        return (DeeplinkKeysResponse.From(lnurlwBase, keys, done.Card.Id, uid.Hex, done.Card.KeyVersion)
            with
        { UidPrivacy = done.Grant.UidPrivacy ? "Y" : "N" }, null);
    }

    public async Task<(DeeplinkKeysResponse? Answer, Refusal? Refusal)> ResetAsync(string code, string? lnurlw, string lnurlwBase, CancellationToken ct)
    {
        if (!TryReadTap(lnurlw, out var tap))
            return (null, new Refusal(GatewayError.BadRequest, "Send {\"LNURLW\": \"lnurlw://host/ln?p=<32 hex>&c=<16 hex>\"} as read from the card."));
        var (match, refusal) = await taps.ResolveAsync(tap, ct).ConfigureAwait(false);
        if (match is null)
            return (null, refusal);
        var result = await store.RedeemForResetAsync(ProgrammingCode.Hash(code), match.Card.Id, match.Counter, ct).ConfigureAwait(false);
        if (result is not ProgrammingResult.Done done)
            return (null, Refuse(result));
        var keys = await keyRing.KeysOfAsync(done.Card, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException("A card whose tap verified has no keys to reset with.");
        return (DeeplinkKeysResponse.From(lnurlwBase, keys, done.Card.Id, match.Uid.Hex, done.Card.KeyVersion)
            with
        { Action = "wipe", BalanceMsat = done.Card.Balance.Value }, null);
    }

    /// <summary>p and c from the card's NDEF URL (any scheme: lnurlw://, https://), each exactly once.</summary>
    private static bool TryReadTap(string? url, out SunTap tap)
    {
        tap = default;
        var q = url?.IndexOf('?', StringComparison.Ordinal) ?? -1;
        if (q < 0)
            return false;
        var query = QueryHelpers.ParseQuery(url![q..]);
        return query.TryGetValue("p", out var p) && p.Count == 1 && query.TryGetValue("c", out var c) && c.Count == 1
            && SunTap.TryParse(p[0], c[0], out tap);
    }

    private static Refusal Refuse(ProgrammingResult result) => ((ProgrammingResult.Refused)result).Reason switch
    {
        ProgrammingRefusal.CodeUnknown => GatewayError.CodeUnknown,
        ProgrammingRefusal.CodeExpired => GatewayError.CodeExpired,
        ProgrammingRefusal.CodeUsed => GatewayError.CodeUsed,
        ProgrammingRefusal.CardActive => GatewayError.CardActive,
        ProgrammingRefusal.CardImported => GatewayError.CardImported,
        ProgrammingRefusal.CardNotFound => GatewayError.CardNotFound,
        ProgrammingRefusal.Replay => GatewayError.Replay,
        var other => throw new ArgumentOutOfRangeException(nameof(result), other, null),
    };
}

/// <summary>A programming link's one-time code (never stored, shown this once) and when it expires.</summary>
public sealed record IssuedLink(string Code, DateTimeOffset ExpiresAt);
