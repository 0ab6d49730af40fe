using System.Security.Cryptography;

namespace BoltGate.Core.Crypto;

/// <summary>
/// AES-128-CMAC (NIST SP 800-38B, RFC 4493). Never mutates its input.
/// </summary>
public static class AesCmac
{
    public const int BlockSize = 16;

    /// <summary>Computes the full 16-byte CMAC of <paramref name="message"/> under <paramref name="key"/>.</summary>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, Span<byte> mac)
    {
        if (key.Length != 16)
            throw new ArgumentException("AES-128-CMAC needs a 16-byte key.", nameof(key));
        if (mac.Length < BlockSize)
            throw new ArgumentException("The MAC destination needs 16 bytes.", nameof(mac));

        using var aes = Aes.Create();
        aes.Key = key.ToArray();

        Span<byte> l = stackalloc byte[BlockSize];
        aes.EncryptEcb(stackalloc byte[BlockSize], l, PaddingMode.None);
        Span<byte> k1 = stackalloc byte[BlockSize];
        Span<byte> k2 = stackalloc byte[BlockSize];
        DoubleInGf(l, k1);
        DoubleInGf(k1, k2);

        var blocks = (message.Length + BlockSize - 1) / BlockSize;
        var lastComplete = blocks > 0 && message.Length % BlockSize == 0;
        if (blocks == 0)
            blocks = 1;

        Span<byte> x = stackalloc byte[BlockSize];
        x.Clear();
        Span<byte> y = stackalloc byte[BlockSize];
        for (var i = 0; i < blocks - 1; i++)
        {
            var block = message.Slice(i * BlockSize, BlockSize);
            for (var j = 0; j < BlockSize; j++)
                y[j] = (byte)(x[j] ^ block[j]);
            aes.EncryptEcb(y, x, PaddingMode.None);
        }

        var tail = message[((blocks - 1) * BlockSize)..];
        Span<byte> last = stackalloc byte[BlockSize];
        last.Clear();
        tail.CopyTo(last);
        if (lastComplete)
        {
            for (var j = 0; j < BlockSize; j++)
                last[j] ^= k1[j];
        }
        else
        {
            last[tail.Length] = 0x80;
            for (var j = 0; j < BlockSize; j++)
                last[j] ^= k2[j];
        }
        for (var j = 0; j < BlockSize; j++)
            y[j] = (byte)(x[j] ^ last[j]);
        aes.EncryptEcb(y, mac[..BlockSize], PaddingMode.None);
    }

    public static byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message)
    {
        var mac = new byte[BlockSize];
        Compute(key, message, mac);
        return mac;
    }

    /// <summary>Multiplication by x in GF(2^128) with the CMAC polynomial (Rb = 0x87).</summary>
    internal static void DoubleInGf(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var carry = input[0] >> 7;
        for (var i = 0; i < BlockSize - 1; i++)
            output[i] = (byte)((input[i] << 1) | (input[i + 1] >> 7));
        output[BlockSize - 1] = (byte)((input[BlockSize - 1] << 1) ^ (carry * 0x87));
    }
}
