using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

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
        Compute(Vector128.Create(key), message).CopyTo(mac);
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

    /// <summary>CMAC under a key held in a register; the form the SUN path chains without copies.</summary>
    internal static Vector128<byte> Compute(Vector128<byte> key, ReadOnlySpan<byte> message)
    {
        if (!AesBackend.UseHardware)
            return Portable(key, message);

        var rk = default(AesRoundKeys);
        AesNi.ExpandEncryptionKey(key, ref rk);
        var (k1, k2) = Subkeys(AesNi.Encrypt(Vector128<byte>.Zero, ref rk));
        var mac = Chain(ref rk, k1, k2, message);
        AesBlock.Wipe(ref rk);
        return mac;
    }

    /// <summary>CMAC of exactly one complete block (SV2 -> session key): <c>E(K, block ^ K1)</c>.</summary>
    internal static Vector128<byte> ComputeOneBlock(Vector128<byte> key, Vector128<byte> block)
    {
        if (!AesBackend.UseHardware)
        {
            Span<byte> message = stackalloc byte[BlockSize];
            block.CopyTo(message);
            return Portable(key, message);
        }

        var rk = default(AesRoundKeys);
        AesNi.ExpandEncryptionKey(key, ref rk);
        var k1 = Double(AesNi.Encrypt(Vector128<byte>.Zero, ref rk));
        var mac = AesNi.Encrypt(block ^ k1, ref rk);
        AesBlock.Wipe(ref rk);
        return mac;
    }

    /// <summary>CMAC of the empty message (the Boltcard SDMMAC input): <c>E(K, 80 00.. ^ K2)</c>.</summary>
    internal static Vector128<byte> ComputeEmpty(Vector128<byte> key)
    {
        if (!AesBackend.UseHardware)
            return Portable(key, []);

        var rk = default(AesRoundKeys);
        AesNi.ExpandEncryptionKey(key, ref rk);
        var k2 = Double(Double(AesNi.Encrypt(Vector128<byte>.Zero, ref rk)));
        var mac = AesNi.Encrypt(Vector128.CreateScalar((byte)0x80) ^ k2, ref rk);
        AesBlock.Wipe(ref rk);
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
        // The block is a big-endian 128-bit number: byte-swap the two halves into integers.
        var words = value.AsUInt64();
        var hi = BigEndian(words.GetElement(0));
        var lo = BigEndian(words.GetElement(1));
        var reduce = 0UL - (hi >> 63);
        hi = (hi << 1) | (lo >> 63);
        lo = (lo << 1) ^ (reduce & 0x87);
        return Vector128.Create(BigEndian(hi), BigEndian(lo)).AsByte();
    }

    private static ulong BigEndian(ulong value) =>
        BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;

    private static Vector128<byte> Portable(Vector128<byte> key, ReadOnlySpan<byte> message)
    {
        Span<byte> keyBytes = stackalloc byte[AesKey.KeySize];
        key.CopyTo(keyBytes);
        var mac = new AesKey(keyBytes, hardware: false).Cmac(message);
        CryptographicOperations.ZeroMemory(keyBytes);
        return mac;
    }

    private static void RequireMac(Span<byte> mac)
    {
        if (mac.Length < BlockSize)
            throw new ArgumentException("The MAC destination needs 16 bytes.", nameof(mac));
    }
}
