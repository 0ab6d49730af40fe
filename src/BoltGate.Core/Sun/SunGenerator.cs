using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using BoltGate.Core.Crypto;

namespace BoltGate.Core.Sun;

/// <summary>
/// The card's side of SUN, for tests and the simulated card: builds PICCData
/// (<c>C7 || UID || counter(3, LE) || padding(5)</c>), encrypts it under K1 and MACs under K2.
/// </summary>
public static class SunGenerator
{
    public const int PaddingLength = 5;

    /// <summary>
    /// Returns <c>p</c> and <c>c</c> in upper-case hex, as the chip mirrors them. With no
    /// <paramref name="padding5"/>, 5 random bytes are used, like the chip.
    /// </summary>
    public static (string P, string C) Create(
        ReadOnlySpan<byte> k1, ReadOnlySpan<byte> k2, CardUid uid, uint counter, ReadOnlySpan<byte> padding5 = default)
    {
        AesKey.RequireKey(k1);
        AesKey.RequireKey(k2);
        SunMac.RequireCounter(counter);
        if (!padding5.IsEmpty && padding5.Length != PaddingLength)
            throw new ArgumentException($"PICCData padding is {PaddingLength} bytes.", nameof(padding5));

        Span<byte> picc = stackalloc byte[AesKey.BlockSize];
        picc[0] = SunVerifier.PiccDataTag;
        uid.CopyTo(picc[1..]);
        picc[8] = (byte)counter;
        picc[9] = (byte)(counter >> 8);
        picc[10] = (byte)(counter >> 16);
        if (padding5.IsEmpty)
            RandomNumberGenerator.Fill(picc[11..]);
        else
            padding5.CopyTo(picc[11..]);

        Span<byte> p = stackalloc byte[AesKey.BlockSize];
        AesBlock.Encrypt(k1, Vector128.Create((ReadOnlySpan<byte>)picc)).CopyTo(p);
        CryptographicOperations.ZeroMemory(picc);

        Span<byte> c = stackalloc byte[SunMac.TruncatedLength];
        SunMac.Compute(k2, uid, counter, [], c);
        return (Hex.Upper(p), Hex.Upper(c));
    }
}
