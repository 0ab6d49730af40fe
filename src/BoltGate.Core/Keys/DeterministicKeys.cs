using System.Buffers.Binary;
using System.Security.Cryptography;
using BoltGate.Core.Crypto;
using BoltGate.Core.Sun;

namespace BoltGate.Core.Keys;

/// <summary>
/// Boltcard deterministic keys (boltcard/boltcard docs/DETERMINISTIC.md), PRF = AES-128-CMAC:
/// <code>
/// CardKey = PRF(IssuerKey, 2d003f75 || UID || Version(4, LE))
/// K0 = PRF(CardKey, 2d003f76)   K1 = PRF(IssuerKey, 2d003f77)   K2 = PRF(CardKey, 2d003f78)
/// K3 = PRF(CardKey, 2d003f79)   K4 = PRF(CardKey, 2d003f7a)     ID = PRF(IssuerKey, 2d003f7b || UID)
/// </code>
/// K1 is the same for every card of one issuer key, so a tap is decrypted before the card is known;
/// ID is the database key (store it, not the UID).
/// </summary>
public static class DeterministicKeys
{
    private const int TagLength = 4;

    public static CardKeys Derive(ReadOnlySpan<byte> issuerKey, CardUid uid, uint version)
    {
        Span<byte> cardKey = stackalloc byte[Key128.Length];
        CardKey(issuerKey, uid, version, cardKey);
        var keys = new CardKeys(
            Prf(cardKey, 0x76),
            Prf(issuerKey, 0x77),
            Prf(cardKey, 0x78),
            Prf(cardKey, 0x79),
            Prf(cardKey, 0x7a));
        CryptographicOperations.ZeroMemory(cardKey);
        return keys;
    }

    /// <summary>K1 (SDMMetaReadKey), shared by all cards of <paramref name="issuerKey"/>.</summary>
    public static byte[] K1(ReadOnlySpan<byte> issuerKey) => Prf(issuerKey, 0x77).ToArray();

    /// <summary>The card ID: a stable database key that does not reveal the UID.</summary>
    public static byte[] CardId(ReadOnlySpan<byte> issuerKey, CardUid uid)
    {
        var id = new byte[Key128.Length];
        CardId(issuerKey, uid, id);
        return id;
    }

    /// <summary>The card ID written to <paramref name="id"/> (16 bytes) without allocating: the per-tap path.</summary>
    public static void CardId(ReadOnlySpan<byte> issuerKey, CardUid uid, Span<byte> id)
    {
        Span<byte> message = stackalloc byte[TagLength + CardUid.Length];
        WriteTag(message, 0x7b);
        uid.CopyTo(message[TagLength..]);
        AesCmac.Compute(issuerKey, message, id);
    }

    /// <summary>The per-card root key the others derive from.</summary>
    public static byte[] CardKey(ReadOnlySpan<byte> issuerKey, CardUid uid, uint version)
    {
        var cardKey = new byte[Key128.Length];
        CardKey(issuerKey, uid, version, cardKey);
        return cardKey;
    }

    /// <summary>K2 (SDMFileReadKey) for one card, written to <paramref name="k2"/> without allocating: the per-tap path.</summary>
    public static void K2(ReadOnlySpan<byte> issuerKey, CardUid uid, uint version, Span<byte> k2)
    {
        Span<byte> cardKey = stackalloc byte[Key128.Length];
        CardKey(issuerKey, uid, version, cardKey);
        Span<byte> tag = stackalloc byte[TagLength];
        WriteTag(tag, 0x78);
        AesCmac.Compute(cardKey, tag, k2);
        CryptographicOperations.ZeroMemory(cardKey);
    }

    private static void CardKey(ReadOnlySpan<byte> issuerKey, CardUid uid, uint version, Span<byte> cardKey)
    {
        Span<byte> message = stackalloc byte[TagLength + CardUid.Length + 4];
        WriteTag(message, 0x75);
        uid.CopyTo(message[TagLength..]);
        BinaryPrimitives.WriteUInt32LittleEndian(message[(TagLength + CardUid.Length)..], version);
        AesCmac.Compute(issuerKey, message, cardKey);
    }

    private static Key128 Prf(ReadOnlySpan<byte> key, byte last)
    {
        Span<byte> tag = stackalloc byte[TagLength];
        WriteTag(tag, last);
        Span<byte> output = stackalloc byte[Key128.Length];
        AesCmac.Compute(key, tag, output);
        var result = Key128.FromSpan(output);
        CryptographicOperations.ZeroMemory(output);
        return result;
    }

    private static void WriteTag(Span<byte> destination, byte last)
    {
        destination[0] = 0x2d;
        destination[1] = 0x00;
        destination[2] = 0x3f;
        destination[3] = last;
    }
}
