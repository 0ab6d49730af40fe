using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace BoltGate.Core.Crypto;

/// <summary>
/// AES-128 on x86 AES-NI. Callers check <see cref="AesBackend.UseHardware"/> first.
/// Key expansion follows the Intel AES-NI white paper: <c>AESKEYGENASSIST</c> gives
/// SubWord(RotWord(w3)) ^ rcon, which is broadcast and folded into the running prefix-XOR of the
/// previous round key. Decryption uses the "equivalent inverse cipher": round keys 1..9 are passed
/// through <c>AESIMC</c> (InverseMixColumns).
/// </summary>
internal static class AesNi
{
    internal static void ExpandEncryptionKey(ReadOnlySpan<byte> key, ref AesRoundKeys rk) =>
        ExpandEncryptionKey(Vector128.Create(key), ref rk);

    internal static void ExpandEncryptionKey(Vector128<byte> key, ref AesRoundKeys rk)
    {
        var k = key;
        rk[0] = k;
        k = Next(k, X86Aes.KeygenAssist(k, 0x01));
        rk[1] = k;
        k = Next(k, X86Aes.KeygenAssist(k, 0x02));
        rk[2] = k;
        k = Next(k, X86Aes.KeygenAssist(k, 0x04));
        rk[3] = k;
        k = Next(k, X86Aes.KeygenAssist(k, 0x08));
        rk[4] = k;
        k = Next(k, X86Aes.KeygenAssist(k, 0x10));
        rk[5] = k;
        k = Next(k, X86Aes.KeygenAssist(k, 0x20));
        rk[6] = k;
        k = Next(k, X86Aes.KeygenAssist(k, 0x40));
        rk[7] = k;
        k = Next(k, X86Aes.KeygenAssist(k, 0x80));
        rk[8] = k;
        k = Next(k, X86Aes.KeygenAssist(k, 0x1B));
        rk[9] = k;
        k = Next(k, X86Aes.KeygenAssist(k, 0x36));
        rk[10] = k;
    }

    /// <summary>Turns an encryption schedule into the equivalent-inverse-cipher decryption schedule.</summary>
    internal static void DecryptionKeyFrom(ref AesRoundKeys enc, ref AesRoundKeys dec)
    {
        dec[0] = enc[10];
        for (var i = 1; i < AesRoundKeys.Count - 1; i++)
            dec[i] = X86Aes.InverseMixColumns(enc[10 - i]);
        dec[10] = enc[0];
    }

    internal static Vector128<byte> Encrypt(Vector128<byte> block, ref AesRoundKeys rk)
    {
        var b = block ^ rk[0];
        b = X86Aes.Encrypt(b, rk[1]);
        b = X86Aes.Encrypt(b, rk[2]);
        b = X86Aes.Encrypt(b, rk[3]);
        b = X86Aes.Encrypt(b, rk[4]);
        b = X86Aes.Encrypt(b, rk[5]);
        b = X86Aes.Encrypt(b, rk[6]);
        b = X86Aes.Encrypt(b, rk[7]);
        b = X86Aes.Encrypt(b, rk[8]);
        b = X86Aes.Encrypt(b, rk[9]);
        return X86Aes.EncryptLast(b, rk[10]);
    }

    internal static Vector128<byte> Decrypt(Vector128<byte> block, ref AesRoundKeys dec)
    {
        var b = block ^ dec[0];
        b = X86Aes.Decrypt(b, dec[1]);
        b = X86Aes.Decrypt(b, dec[2]);
        b = X86Aes.Decrypt(b, dec[3]);
        b = X86Aes.Decrypt(b, dec[4]);
        b = X86Aes.Decrypt(b, dec[5]);
        b = X86Aes.Decrypt(b, dec[6]);
        b = X86Aes.Decrypt(b, dec[7]);
        b = X86Aes.Decrypt(b, dec[8]);
        b = X86Aes.Decrypt(b, dec[9]);
        return X86Aes.DecryptLast(b, dec[10]);
    }

    /// <summary>
    /// Decrypts with the encryption schedule, deriving the inverse round keys on the fly (their
    /// <c>AESIMC</c>s do not depend on the data, so they overlap with the rounds): for a key used once.
    /// </summary>
    internal static Vector128<byte> DecryptWithEncryptionKey(Vector128<byte> block, ref AesRoundKeys enc)
    {
        var b = block ^ enc[10];
        b = X86Aes.Decrypt(b, X86Aes.InverseMixColumns(enc[9]));
        b = X86Aes.Decrypt(b, X86Aes.InverseMixColumns(enc[8]));
        b = X86Aes.Decrypt(b, X86Aes.InverseMixColumns(enc[7]));
        b = X86Aes.Decrypt(b, X86Aes.InverseMixColumns(enc[6]));
        b = X86Aes.Decrypt(b, X86Aes.InverseMixColumns(enc[5]));
        b = X86Aes.Decrypt(b, X86Aes.InverseMixColumns(enc[4]));
        b = X86Aes.Decrypt(b, X86Aes.InverseMixColumns(enc[3]));
        b = X86Aes.Decrypt(b, X86Aes.InverseMixColumns(enc[2]));
        b = X86Aes.Decrypt(b, X86Aes.InverseMixColumns(enc[1]));
        return X86Aes.DecryptLast(b, enc[0]);
    }

    private static Vector128<byte> Next(Vector128<byte> key, Vector128<byte> assist)
    {
        // Broadcast word 3 of the assist result: SubWord(RotWord(w3)) ^ rcon.
        var t = Sse2.Shuffle(assist.AsInt32(), 0xFF).AsByte();
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        return key ^ t;
    }
}
