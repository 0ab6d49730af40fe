using BoltGate.Core.Keys;
using BoltGate.Core.Sun;
using BoltGate.Server.Errors;
using BoltGate.Server.Secrets;
using BoltGate.Storage;
using BoltGate.Storage.Cards;

namespace BoltGate.Server.Taps;

/// <summary>
/// Finds the card behind a tap without a card id in the URL (DESIGN.md, "Wire surface"): decrypt p with
/// each distinct K1 we know — the issuer key's, then the imported cards' (cached in memory, usually a
/// handful) — and the first that yields a known UID whose K2 verifies c wins. No per-card scan.
/// </summary>
public sealed class TapResolver
{
    private static readonly TimeSpan ReloadAtMostEvery = TimeSpan.FromSeconds(5);
    private readonly BoltGateStore _store;
    private readonly TimeProvider _time;
    private readonly byte[] _issuerKey;
    private readonly byte[] _issuerK1;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private volatile ImportedKeyCache? _imported;
    private DateTimeOffset _lastReload = DateTimeOffset.MinValue;

    public TapResolver(BoltGateStore store, GatewaySecrets secrets, TimeProvider time)
    {
        _store = store;
        _time = time;
        _issuerKey = secrets.IssuerKey;
        _issuerK1 = DeterministicKeys.K1(_issuerKey);
    }

    /// <summary>
    /// The card and counter of a verified tap, or why there is none: TAP_INVALID when p names a card we
    /// know (its UID) but c does not verify under its key, else CARD_NOT_FOUND. That p decrypts under some
    /// K1 to the right tag byte proves nothing: one in 256 random p do for each K1 we hold.
    /// </summary>
    public async Task<(TapMatch? Match, Refusal? Refusal)> ResolveAsync(SunTap tap, CancellationToken ct)
    {
        string? badMacCard = null;
        if (SunVerifier.TryDecryptPicc(_issuerK1, tap, out var uid, out var counter))
        {
            var card = await _store.GetCardAsync(DeterministicCardId(uid), ct).ConfigureAwait(false);
            if (card is { KeySource: CardKeySource.Deterministic })
            {
                if (DeterministicMacVerifies(card, uid, counter, in tap))
                    return (new TapMatch(card, uid, counter), null);
                badMacCard = card.Id;
            }
        }

        var imported = await ImportedAsync(reload: false, ct).ConfigureAwait(false);
        var (match, badMac) = await MatchImportedAsync(imported, tap, ct).ConfigureAwait(false);
        badMacCard ??= badMac;
        if (match is null && _time.GetUtcNow() - _lastReload >= ReloadAtMostEvery)
        {
            // Another instance may have imported the card since we loaded the cache.
            imported = await ImportedAsync(reload: true, ct).ConfigureAwait(false);
            (match, badMac) = await MatchImportedAsync(imported, tap, ct).ConfigureAwait(false);
            badMacCard ??= badMac;
        }
        if (match is not null)
            return (match, null);
        return (null, badMacCard is not null
            ? new Refusal(GatewayError.TapInvalid) { CardId = badMacCard }
            : new Refusal(GatewayError.CardNotFound));
    }

    // The per-tap key work on stack buffers: no key arrays to allocate (or leave for the GC) per tap.
    private string DeterministicCardId(CardUid uid)
    {
        Span<byte> id = stackalloc byte[16];
        DeterministicKeys.CardId(_issuerKey, uid, id);
        return Core.Crypto.Hex.Lower(id);
    }

    private bool DeterministicMacVerifies(Card card, CardUid uid, uint counter, in SunTap tap)
    {
        Span<byte> k2 = stackalloc byte[16];
        DeterministicKeys.K2(_issuerKey, uid, checked((uint)card.KeyVersion), k2);
        var verified = SunVerifier.VerifyMac(k2, uid, counter, tap);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(k2);
        return verified;
    }

    /// <summary>Drops the imported-key cache (after an import) so the next tap reloads it.</summary>
    public void InvalidateImported() => _imported = null;

    /// <summary>The matching card, or the id of a card whose bound UID p named but whose K2 did not verify c.</summary>
    private async Task<(TapMatch? Match, string? BadMacCard)> MatchImportedAsync(ImportedKeyCache cache, SunTap tap, CancellationToken ct)
    {
        string? badMacCard = null;
        foreach (var group in cache.ByK1)
        {
            if (!SunVerifier.TryDecryptPicc(group.K1, tap, out var uid, out var counter))
                continue;
            foreach (var entry in group.Cards)
            {
                if (entry.UidHex is not null && entry.UidHex != uid.Hex)
                    continue;
                if (!SunVerifier.VerifyMac(entry.Key(2), uid, counter, tap))
                {
                    if (entry.UidHex is not null)
                        badMacCard ??= entry.CardId;
                    continue;
                }
                if (entry.UidHex is null)
                    await _store.BindUidAsync(entry.CardId, uid.Hex, ct).ConfigureAwait(false);
                var card = await _store.GetCardAsync(entry.CardId, ct).ConfigureAwait(false);
                if (card is not null)
                    return (new TapMatch(card, uid, counter), null);
            }
        }
        return (null, badMacCard);
    }

    private async Task<ImportedKeyCache> ImportedAsync(bool reload, CancellationToken ct)
    {
        var cache = _imported;
        if (cache is not null && !reload)
            return cache;
        await _reloadLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_imported is { } fresh && !reload)
                return fresh;
            var keys = await _store.ListImportedCardKeysAsync(ct).ConfigureAwait(false);
            _imported = cache = ImportedKeyCache.Build(keys);
            _lastReload = _time.GetUtcNow();
            return cache;
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    private sealed record ImportedKeyCache(IReadOnlyList<(byte[] K1, IReadOnlyList<ImportedCardKeys> Cards)> ByK1)
    {
        public static ImportedKeyCache Build(IReadOnlyList<ImportedCardKeys> keys) => new(keys
            .GroupBy(k => Convert.ToHexString(k.Key(1)))
            .Select(g => (Convert.FromHexString(g.Key), (IReadOnlyList<ImportedCardKeys>)g.ToList()))
            .ToList());
    }
}
