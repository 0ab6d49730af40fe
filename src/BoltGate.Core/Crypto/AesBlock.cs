using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace BoltGate.Core.Crypto;

/// <summary>
/// One-shot single-block AES-128 for keys used once (a card's K1 read from storage): on AES-NI
/// the schedule lives on the stack and is wiped afterwards, so nothing is allocated.
/// </summary>
internal static class AesBlock
{
    internal static Vector128<byte> Encrypt(ReadOnlySpan<byte> key, Vector128<byte> block)
    {
        AesKey.RequireKey(key);
        if (!AesBackend.UseHardware)
            return new AesKey(key, hardware: false).Encrypt(block);

        var rk = default(AesRoundKeys);
        AesNi.ExpandEncryptionKey(key, ref rk);
        var result = AesNi.Encrypt(block, ref rk);
        Wipe(ref rk);
        return result;
    }

    internal static Vector128<byte> Decrypt(ReadOnlySpan<byte> key, Vector128<byte> block)
    {
        AesKey.RequireKey(key);
        if (!AesBackend.UseHardware)
            return new AesKey(key, hardware: false).Decrypt(block);

        var rk = default(AesRoundKeys);
        AesNi.ExpandEncryptionKey(key, ref rk);
        var result = AesNi.DecryptWithEncryptionKey(block, ref rk);
        Wipe(ref rk);
        return result;
    }

    internal static void Wipe(ref AesRoundKeys rk) =>
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes((Span<Vector128<byte>>)rk));
}
