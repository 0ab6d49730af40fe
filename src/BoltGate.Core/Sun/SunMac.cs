using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using BoltGate.Core.Crypto;

namespace BoltGate.Core.Sun;

/// <summary>
/// The SDM MAC of NTAG 424 DNA (datasheet §9.3.9, AN12196 Tables 2 and 5), as Boltcards use it:
/// <c>SV2 = 3C C3 00 01 00 80 || UID(7) || SDMReadCtr(3, LSB first)</c>,
/// <c>KSesSDMFileReadMAC = CMAC(K2, SV2)</c>, <c>SDMMAC = CMAC(KSes, macInput)</c> (empty input for
/// Boltcards), truncated to the bytes at odd indices. Public so a virtual card can produce MACs.
/// </summary>
public static class SunMac
{
    public const int SessionVectorLength = 16;
    public const int TruncatedLength = 8;

    /// <summary>SDMReadCtr is 24 bits; the chip stops at this value.</summary>
    public const uint MaxCounter = 0xFFFFFF;

    private static ReadOnlySpan<byte> Sv2Prefix => [0x3C, 0xC3, 0x00, 0x01, 0x00, 0x80];

    /// <summary>Writes SV2 (16 bytes) for <paramref name="uid"/> and <paramref name="counter"/>.</summary>
    public static void SessionVector(CardUid uid, uint counter, Span<byte> sv2)
    {
        RequireCounter(counter);
        if (sv2.Length < SessionVectorLength)
            throw new ArgumentException($"SV2 needs {SessionVectorLength} bytes.", nameof(sv2));
        Sv2Prefix.CopyTo(sv2);
        uid.CopyTo(sv2[6..]);
        sv2[13] = (byte)counter;
        sv2[14] = (byte)(counter >> 8);
        sv2[15] = (byte)(counter >> 16);
    }

    /// <summary>Writes KSesSDMFileReadMAC = CMAC(K2, SV2) (16 bytes).</summary>
    public static void SessionMacKey(ReadOnlySpan<byte> k2, CardUid uid, uint counter, Span<byte> sessionKey)
    {
        Span<byte> sv2 = stackalloc byte[SessionVectorLength];
        SessionVector(uid, counter, sv2);
        AesCmac.Compute(k2, sv2, sessionKey);
    }

    public static byte[] SessionMacKey(ReadOnlySpan<byte> k2, CardUid uid, uint counter)
    {
        var key = new byte[AesKey.KeySize];
        SessionMacKey(k2, uid, counter, key);
        return key;
    }

    /// <summary>
    /// Keeps the bytes at 0-based odd indices 1,3,..,15 of a 16-byte CMAC (NXP's "even-numbered
    /// bytes" counted from the least significant end). Also the MACt rule of secure messaging.
    /// </summary>
    public static void Truncate(ReadOnlySpan<byte> fullMac, Span<byte> truncated)
    {
        if (fullMac.Length != AesCmac.BlockSize)
            throw new ArgumentException("A full CMAC is 16 bytes.", nameof(fullMac));
        if (truncated.Length < TruncatedLength)
            throw new ArgumentException($"The destination needs {TruncatedLength} bytes.", nameof(truncated));
        for (var i = 0; i < TruncatedLength; i++)
            truncated[i] = fullMac[2 * i + 1];
    }

    /// <summary>
    /// Writes the 8-byte SDMMAC a card with K2 = <paramref name="k2"/> mirrors for this UID and
    /// counter over <paramref name="macInput"/> (empty for Boltcards).
    /// </summary>
    public static void Compute(ReadOnlySpan<byte> k2, CardUid uid, uint counter, ReadOnlySpan<byte> macInput, Span<byte> mac)
    {
        if (mac.Length < TruncatedLength)
            throw new ArgumentException($"The destination needs {TruncatedLength} bytes.", nameof(mac));
        Span<byte> full = stackalloc byte[AesCmac.BlockSize];
        FullMac(k2, uid, counter, macInput).CopyTo(full);
        Truncate(full, mac);
        CryptographicOperations.ZeroMemory(full);
    }

    /// <summary>The Boltcard <c>c</c>: SDMMAC over the empty input.</summary>
    public static byte[] Compute(ReadOnlySpan<byte> k2, CardUid uid, uint counter)
    {
        var mac = new byte[TruncatedLength];
        Compute(k2, uid, counter, [], mac);
        return mac;
    }

    internal static Vector128<byte> FullMac(ReadOnlySpan<byte> k2, CardUid uid, uint counter, ReadOnlySpan<byte> macInput)
    {
        AesKey.RequireKey(k2);
        Span<byte> sv2 = stackalloc byte[SessionVectorLength];
        SessionVector(uid, counter, sv2);
        var sessionKey = AesCmac.ComputeOneBlock(Vector128.Create(k2), Vector128.Create((ReadOnlySpan<byte>)sv2));
        return AesCmac.Compute(sessionKey, macInput);
    }

    /// <summary>
    /// The Boltcard <c>c</c> straight from decrypted PICCData: SV2 is the prefix plus PICCData
    /// bytes 1..10 (UID and counter are already in SV2 order), so it is one byte shuffle.
    /// Returns the 8 truncated bytes in the low half.
    /// </summary>
    internal static Vector128<byte> TruncatedFromPicc(Vector128<byte> k2, Vector128<byte> piccPlain)
    {
        var sv2 = Vector128.Shuffle(piccPlain, Sv2FromPicc) | Sv2PrefixVector;
        var sessionKey = AesCmac.ComputeOneBlock(k2, sv2);
        return Vector128.Shuffle(AesCmac.ComputeEmpty(sessionKey), OddBytes);
    }

    private static Vector128<byte> Sv2FromPicc =>
        Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

    private static Vector128<byte> Sv2PrefixVector =>
        Vector128.Create((byte)0x3C, 0xC3, 0x00, 0x01, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private static Vector128<byte> OddBytes =>
        Vector128.Create((byte)1, 3, 5, 7, 9, 11, 13, 15, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);

    internal static void RequireCounter(uint counter)
    {
        if (counter > MaxCounter)
            throw new ArgumentOutOfRangeException(nameof(counter), counter, "SDMReadCtr is 24 bits (at most 0xFFFFFF).");
    }
}
