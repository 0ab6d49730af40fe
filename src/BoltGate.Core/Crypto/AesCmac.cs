using System.Buffers.Binary;
using System.Runtime.Intrinsics;

namespace BoltGate.Core.Crypto;

/// <summary>
/// AES-128-CMAC (NIST SP 800-38B, RFC 4493). Never mutates its input. On AES-NI the span overloads
/// expand the key on the stack and allocate nothing; pass an <see cref="AesKey"/> to reuse a key's
/// schedule and subkeys across messages.
/// </summary>
public static class AesCmac
{
    public const int BlockSize = 16;

    /// <summary>Computes the full 16-byte CMAC of <paramref name="message"/> under <paramref name="key"/>.</summary>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, Span<byte> mac)
    {
        AesKey.RequireKey(key);
        RequireMac(mac);
        if (!AesBackend.UseHardware)
        {
            new AesKey(key, hardware: false).Cmac(message).CopyTo(mac);
            return;
        }

        var rk = default(AesRoundKeys);
        AesNi.ExpandEncryptionKey(key, ref rk);
        var (k1, k2) = Subkeys(AesNi.Encrypt(Vector128<byte>.Zero, ref rk));
        Chain(ref rk, k1, k2, message).CopyTo(mac);
        AesBlock.Wipe(ref rk);
    }

    /// <summary>Computes the full 16-byte CMAC under a prepared key.</summary>
    public static void Compute(AesKey key, ReadOnlySpan<byte> message, Span<byte> mac)
    {
        ArgumentNullException.ThrowIfNull(key);
        RequireMac(mac);
        key.Cmac(message).CopyTo(mac);
    }

    public static byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message)
    {
        var mac = new byte[BlockSize];
        Compute(key, message, mac);
        return mac;
    }

    public static byte[] Compute(AesKey key, ReadOnlySpan<byte> message)
    {
        var mac = new byte[BlockSize];
        Compute(key, message, mac);
        return mac;
    }

    /// <summary>The SP 800-38B subkeys K1 = dbl(L), K2 = dbl(K1) where L = AES(key, 0^128).</summary>
    internal static (Vector128<byte> K1, Vector128<byte> K2) Subkeys(Vector128<byte> l)
    {
        var k1 = Double(l);
        return (k1, Double(k1));
    }

    /// <summary>
    /// CBC-MAC chaining with the SP 800-38B last-block rule: a complete last block is XORed with
    /// K1; a partial (or empty) one is padded with 80 00.. and XORed with K2.
    /// </summary>
    internal static Vector128<byte> Chain<T>(ref T cipher, Vector128<byte> k1, Vector128<byte> k2, ReadOnlySpan<byte> message)
        where T : IAesBlockEncryptor
    {
        var x = Vector128<byte>.Zero;
        var before = message.IsEmpty ? 0 : (message.Length - 1) / BlockSize;
        for (var i = 0; i < before; i++)
            x = cipher.Encrypt(x ^ Vector128.Create(message.Slice(i * BlockSize, BlockSize)));

        var tail = message[(before * BlockSize)..];
        Vector128<byte> last;
        if (tail.Length == BlockSize)
        {
            last = Vector128.Create(tail) ^ k1;
        }
        else
        {
            Span<byte> padded = stackalloc byte[BlockSize];
            padded.Clear();
            tail.CopyTo(padded);
            padded[tail.Length] = 0x80;
            last = Vector128.Create((ReadOnlySpan<byte>)padded) ^ k2;
        }
        return cipher.Encrypt(x ^ last);
    }

    /// <summary>Multiplication by x in GF(2^128) with the CMAC polynomial (Rb = 0x87), branch-free.</summary>
    internal static Vector128<byte> Double(Vector128<byte> value)
    {
        Span<byte> b = stackalloc byte[BlockSize];
        value.CopyTo(b);
        var hi = BinaryPrimitives.ReadUInt64BigEndian(b);
        var lo = BinaryPrimitives.ReadUInt64BigEndian(b[8..]);
        var reduce = 0UL - (hi >> 63);
        hi = (hi << 1) | (lo >> 63);
        lo = (lo << 1) ^ (reduce & 0x87);
        BinaryPrimitives.WriteUInt64BigEndian(b, hi);
        BinaryPrimitives.WriteUInt64BigEndian(b[8..], lo);
        return Vector128.Create((ReadOnlySpan<byte>)b);
    }

    private static void RequireMac(Span<byte> mac)
    {
        if (mac.Length < BlockSize)
            throw new ArgumentException("The MAC destination needs 16 bytes.", nameof(mac));
    }
}
