using System.Security.Cryptography;

namespace BoltGate.Nfc.Ntag424;

/// <summary>AES-128 helpers for the NTAG 424 DNA (ECB single blocks, CBC without padding). Inputs are never mutated.</summary>
internal static class BlockCipher
{
    public const int BlockSize = 16;

    public static byte[] EncryptBlock(ReadOnlySpan<byte> key, ReadOnlySpan<byte> block)
    {
        using var aes = Create(key);
        return aes.EncryptEcb(block, PaddingMode.None);
    }

    public static byte[] DecryptBlock(ReadOnlySpan<byte> key, ReadOnlySpan<byte> block)
    {
        using var aes = Create(key);
        return aes.DecryptEcb(block, PaddingMode.None);
    }

    public static byte[] CbcEncrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> data)
    {
        using var aes = Create(key);
        return aes.EncryptCbc(data, iv, PaddingMode.None);
    }

    public static byte[] CbcDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> data)
    {
        using var aes = Create(key);
        return aes.DecryptCbc(data, iv, PaddingMode.None);
    }

    private static Aes Create(ReadOnlySpan<byte> key)
    {
        if (key.Length != 16)
            throw new ArgumentException("NTAG 424 keys are 16 bytes.", nameof(key));
        var aes = Aes.Create();
        aes.Key = key.ToArray();
        return aes;
    }
}
