using System.Runtime.InteropServices;

namespace BoltGate.Core.Secp256k1;

/// <summary>
/// Bitcoin Core's C libsecp256k1 (Debian's <c>libsecp256k1-1</c>, built with the recovery module) through
/// P/Invoke. <see cref="TryCreate"/> loads it and checks it against the managed code on a fixed signature;
/// without the library (or with one that disagrees) there is no instance and callers keep the managed one.
/// The context is created once and only read afterwards, which libsecp256k1 allows from any thread.
/// </summary>
public sealed partial class NativeRecovery : IPublicKeyRecovery
{
    private const string Library = "libsecp256k1.so.1";
    private const uint ContextVerify = (1 << 0) | (1 << 8);
    private const uint Compressed = (1 << 1) | (1 << 8);
    private readonly IntPtr _context;

    private NativeRecovery(IntPtr context) => _context = context;

    public string Name => "native libsecp256k1";

    /// <summary>The native implementation, or null with the reason it is not available.</summary>
    public static NativeRecovery? TryCreate(out string? whyNot)
    {
        try
        {
            var context = secp256k1_context_create(ContextVerify);
            if (context == IntPtr.Zero)
            {
                whyNot = "secp256k1_context_create returned no context";
                return null;
            }
            var native = new NativeRecovery(context);
            whyNot = SelfCheck(native);
            return whyNot is null ? native : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            whyNot = $"{Library} could not be loaded ({e.GetType().Name}); install Debian's libsecp256k1-1";
            return null;
        }
    }

    public bool TryRecover(ReadOnlySpan<byte> compact64, int recoveryId, ReadOnlySpan<byte> hash32, Span<byte> compressedKey)
    {
        if (compact64.Length != 64 || hash32.Length != 32 || compressedKey.Length < 33 || recoveryId is < 0 or > 3)
            return false;
        Span<byte> signature = stackalloc byte[65]; // secp256k1_ecdsa_recoverable_signature
        Span<byte> key = stackalloc byte[64]; // secp256k1_pubkey
        if (secp256k1_ecdsa_recoverable_signature_parse_compact(_context, ref MemoryMarshal.GetReference(signature),
                in MemoryMarshal.GetReference(compact64), recoveryId) != 1)
            return false;
        if (secp256k1_ecdsa_recover(_context, ref MemoryMarshal.GetReference(key), in MemoryMarshal.GetReference(signature),
                in MemoryMarshal.GetReference(hash32)) != 1)
            return false;
        nuint length = 33;
        return secp256k1_ec_pubkey_serialize(_context, ref MemoryMarshal.GetReference(compressedKey), ref length,
            in MemoryMarshal.GetReference(key), Compressed) == 1 && length == 33;
    }

    /// <summary>Null when the library recovers what the managed code recovers for a signature made here.</summary>
    private static string? SelfCheck(NativeRecovery native)
    {
        var privateKey = System.Security.Cryptography.SHA256.HashData("boltgate/secp256k1/self-check"u8);
        var hash = System.Security.Cryptography.SHA256.HashData("a message"u8);
        var key = NBitcoin.Secp256k1.ECPrivKey.Create(privateKey);
        if (!key.TrySignRecoverable(hash, out var recoverable) || recoverable is null)
            return "the self-check signature could not be made";
        Span<byte> compact = stackalloc byte[64];
        recoverable.WriteToSpanCompact(compact, out var recoveryId);
        Span<byte> expected = stackalloc byte[33];
        Span<byte> actual = stackalloc byte[33];
        if (!ManagedRecovery.Instance.TryRecover(compact, recoveryId, hash, expected))
            return "the managed code recovered nothing from the self-check signature";
        if (!native.TryRecover(compact, recoveryId, hash, actual) || !actual.SequenceEqual(expected))
            return "libsecp256k1 recovered another key than the managed code";
        return null;
    }

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern IntPtr secp256k1_context_create(uint flags);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int secp256k1_ecdsa_recoverable_signature_parse_compact(
        IntPtr context, ref byte signature65, in byte input64, int recoveryId);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int secp256k1_ecdsa_recover(IntPtr context, ref byte publicKey64, in byte signature65, in byte hash32);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int secp256k1_ec_pubkey_serialize(
        IntPtr context, ref byte output, ref nuint outputLength, in byte publicKey64, uint flags);
}
