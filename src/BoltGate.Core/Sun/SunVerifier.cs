using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using BoltGate.Core.Crypto;

namespace BoltGate.Core.Sun;

/// <summary>
/// Checks a Boltcard tap: decrypt <c>p</c> under K1 (AES-ECB, one block), require tag 0xC7, read the
/// UID and the little-endian 24-bit counter, then compare <c>c</c> with the SDMMAC under K2 in
/// constant time. Replay protection (counter must increase) is the caller's job.
/// Wrong-length keys are a configuration bug and throw; hostile <c>p</c>/<c>c</c> never do.
/// </summary>
public static class SunVerifier
{
    /// <summary>PICCDataTag: UID and SDMReadCtr mirrored, UID length 7.</summary>
    public const byte PiccDataTag = 0xC7;

    private const int TapLength = SunTap.EncryptedPiccLength + SunTap.MacLength;

    /// <summary>Verifies <c>p</c>/<c>c</c> with raw keys. Allocation-free on AES-NI.</summary>
    public static SunResult Verify(ReadOnlySpan<byte> k1, ReadOnlySpan<byte> k2, string? p, string? c)
    {
        AesKey.RequireKey(k1);
        AesKey.RequireKey(k2);
        Span<byte> tap = stackalloc byte[TapLength];
        if (!SunTap.TryDecode(p, c, tap))
            return SunResult.Rejected(SunRejection.Malformed);
        var plain = AesBlock.Decrypt(k1, Vector128.Create((ReadOnlySpan<byte>)tap[..SunTap.EncryptedPiccLength]));
        return Finish(plain, k2, tap[SunTap.EncryptedPiccLength..]);
    }

    /// <summary>Verifies <c>p</c>/<c>c</c> with a prepared K1 (reuse it for every tap of one issuer).</summary>
    public static SunResult Verify(AesKey k1, ReadOnlySpan<byte> k2, string? p, string? c)
    {
        ArgumentNullException.ThrowIfNull(k1);
        AesKey.RequireKey(k2);
        Span<byte> tap = stackalloc byte[TapLength];
        if (!SunTap.TryDecode(p, c, tap))
            return SunResult.Rejected(SunRejection.Malformed);
        var plain = k1.Decrypt(Vector128.Create((ReadOnlySpan<byte>)tap[..SunTap.EncryptedPiccLength]));
        return Finish(plain, k2, tap[SunTap.EncryptedPiccLength..]);
    }

    /// <summary>
    /// Decrypts <c>p</c> under K1. False (uid/counter default) when the tag is not 0xC7, i.e. wrong
    /// K1 or not a Boltcard. Says nothing about authenticity: check the MAC next.
    /// </summary>
    public static bool TryDecryptPicc(ReadOnlySpan<byte> k1, in SunTap tap, out CardUid uid, out uint counter) =>
        TryRead(AesBlock.Decrypt(k1, Vector128.Create(tap.EncryptedPicc)), out uid, out counter);

    public static bool TryDecryptPicc(AesKey k1, in SunTap tap, out CardUid uid, out uint counter)
    {
        ArgumentNullException.ThrowIfNull(k1);
        return TryRead(k1.Decrypt(Vector128.Create(tap.EncryptedPicc)), out uid, out counter);
    }

    /// <summary>True when <c>c</c> of <paramref name="tap"/> is the SDMMAC for this UID and counter under K2 (constant-time compare).</summary>
    public static bool VerifyMac(ReadOnlySpan<byte> k2, CardUid uid, uint counter, in SunTap tap) =>
        MacMatches(k2, uid, counter, tap.Mac);

    private static SunResult Finish(Vector128<byte> plain, ReadOnlySpan<byte> k2, ReadOnlySpan<byte> mac)
    {
        if (!TryRead(plain, out var uid, out var counter))
            return SunResult.Rejected(SunRejection.NotBoltcard);
        Span<byte> expected = stackalloc byte[AesKey.BlockSize];
        SunMac.TruncatedFromPicc(Vector128.Create(k2), plain).CopyTo(expected);
        return CryptographicOperations.FixedTimeEquals(expected[..SunMac.TruncatedLength], mac)
            ? SunResult.Verified(uid, counter)
            : SunResult.Rejected(SunRejection.BadMac);
    }

    private static bool MacMatches(ReadOnlySpan<byte> k2, CardUid uid, uint counter, ReadOnlySpan<byte> mac)
    {
        Span<byte> expected = stackalloc byte[SunMac.TruncatedLength];
        SunMac.Compute(k2, uid, counter, [], expected);
        return CryptographicOperations.FixedTimeEquals(expected, mac);
    }

    private static bool TryRead(Vector128<byte> plain, out CardUid uid, out uint counter)
    {
        Span<byte> picc = stackalloc byte[AesKey.BlockSize];
        plain.CopyTo(picc);
        var ok = picc[0] == PiccDataTag;
        uid = ok ? CardUid.FromBytes(picc.Slice(1, CardUid.Length)) : default;
        counter = ok ? (uint)(picc[8] | (picc[9] << 8) | (picc[10] << 16)) : 0;
        return ok;
    }
}
