using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace BoltGate.Core.Crypto;

/// <summary>
/// AES-128 single-block operations on the platform's <see cref="Aes"/> (OpenSSL/CNG/Apple), used
/// where AES-NI is missing (e.g. ARM). One instance per key; calls are serialised because
/// <see cref="Aes"/> objects are not documented as thread-safe.
/// </summary>
internal sealed class PortableAes : IAesBlockEncryptor
{
    private readonly Aes _aes;
    private readonly Lock _lock = new();

    internal PortableAes(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
    }

    public Vector128<byte> Encrypt(Vector128<byte> block)
    {
        Span<byte> input = stackalloc byte[AesKey.BlockSize];
        Span<byte> output = stackalloc byte[AesKey.BlockSize];
        block.CopyTo(input);
        lock (_lock)
            _aes.EncryptEcb(input, output, PaddingMode.None);
        return Vector128.Create((ReadOnlySpan<byte>)output);
    }

    public Vector128<byte> Decrypt(Vector128<byte> block)
    {
        Span<byte> input = stackalloc byte[AesKey.BlockSize];
        Span<byte> output = stackalloc byte[AesKey.BlockSize];
        block.CopyTo(input);
        lock (_lock)
            _aes.DecryptEcb(input, output, PaddingMode.None);
        return Vector128.Create((ReadOnlySpan<byte>)output);
    }
}
