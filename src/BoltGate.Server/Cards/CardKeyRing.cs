using System.Security.Cryptography;
using BoltGate.Core.Keys;
using BoltGate.Core.Sun;
using BoltGate.Server.Secrets;
using BoltGate.Storage;
using BoltGate.Storage.Cards;

namespace BoltGate.Server.Cards;

/// <summary>
/// A card's current five keys, wherever they live: derived from the issuer key, the UID and the card's
/// key version (deterministic cards), or decrypted from the database (imported and QR-created cards).
/// </summary>
public sealed class CardKeyRing(BoltGateStore store, GatewaySecrets secrets)
{
    /// <summary>Null when the keys cannot be known: a deterministic card without a UID, or an imported card whose row vanished.</summary>
    public async Task<CardKeys?> KeysOfAsync(Card card, CancellationToken ct)
    {
        if (card.KeySource == CardKeySource.Deterministic)
        {
            return CardUid.TryParse(card.UidHex, out var uid)
                ? DeterministicKeys.Derive(secrets.IssuerKey, uid, checked((uint)card.KeyVersion))
                : null;
        }
        var raw = await store.GetImportedKeysAsync(card.Id, ct).ConfigureAwait(false);
        if (raw is null)
            return null;
        var keys = RandomCardKeys.FromBytes(raw);
        CryptographicOperations.ZeroMemory(raw);
        return keys;
    }
}
