using System.Runtime.Intrinsics;

namespace BoltGate.Core.Crypto;

/// <summary>
/// An AES-128 key prepared once for many operations: the expanded encryption and decryption
/// schedules (AES-NI) or a platform cipher (portable path), plus the two CMAC subkeys. Build one
/// per long-lived key (e.g. an issuer's K1) and share it: it is immutable and thread-safe.
/// <see cref="ToString"/> never shows key material.
/// </summary>
public sealed class AesKey
{
    public const int KeySize = 16;
    public const int BlockSize = 16;

    private readonly PortableAes? _portable;
    private AesRoundKeys _encrypt;
    private AesRoundKeys _decrypt;

    public AesKey(ReadOnlySpan<byte> key)
        : this(key, AesBackend.UseHardware)
    {
    }

    internal AesKey(ReadOnlySpan<byte> key, bool hardware)
    {
        RequireKey(key);
        if (hardware && AesBackend.HardwareSupported)
        {
            AesNi.ExpandEncryptionKey(key, ref _encrypt);
            AesNi.DecryptionKeyFrom(ref _encrypt, ref _decrypt);
        }
        else
        {
            _portable = new PortableAes(key);
        }
        (CmacSubkey1, CmacSubkey2) = AesCmac.Subkeys(Encrypt(Vector128<byte>.Zero));
    }

    /// <summary>True when new keys use AES-NI on this machine.</summary>
    public static bool IsHardwareAccelerated => AesBackend.UseHardware;

    /// <summary>True when this key object runs on AES-NI.</summary>
    internal bool UsesHardware => _portable is null;

    internal Vector128<byte> CmacSubkey1 { get; }

    internal Vector128<byte> CmacSubkey2 { get; }

    /// <summary>Encrypts one 16-byte block (AES-ECB). Source and destination may overlap.</summary>
    public void EncryptBlock(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        RequireBlocks(source, destination);
        Encrypt(Vector128.Create(source)).CopyTo(destination);
    }

    /// <summary>Decrypts one 16-byte block (AES-ECB). Source and destination may overlap.</summary>
    public void DecryptBlock(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        RequireBlocks(source, destination);
        Decrypt(Vector128.Create(source)).CopyTo(destination);
    }

    public override string ToString() => "AesKey(redacted)";

    internal Vector128<byte> Encrypt(Vector128<byte> block) =>
        _portable is null ? AesNi.Encrypt(block, ref _encrypt) : _portable.Encrypt(block);

    internal Vector128<byte> Decrypt(Vector128<byte> block) =>
        _portable is null ? AesNi.Decrypt(block, ref _decrypt) : _portable.Decrypt(block);

    internal Vector128<byte> Cmac(ReadOnlySpan<byte> message)
    {
        if (_portable is null)
            return AesCmac.Chain(ref _encrypt, CmacSubkey1, CmacSubkey2, message);
        var portable = _portable;
        return AesCmac.Chain(ref portable, CmacSubkey1, CmacSubkey2, message);
    }

    internal static void RequireKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
            throw new ArgumentException($"AES-128 needs a {KeySize}-byte key, got {key.Length} bytes.", nameof(key));
    }

    private static void RequireBlocks(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.Length != BlockSize)
            throw new ArgumentException($"Expected one {BlockSize}-byte block.", nameof(source));
        if (destination.Length < BlockSize)
            throw new ArgumentException($"The destination needs {BlockSize} bytes.", nameof(destination));
    }
}
