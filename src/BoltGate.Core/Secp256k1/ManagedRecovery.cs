using NBitcoin.Secp256k1;

namespace BoltGate.Core.Secp256k1;

/// <summary>NBitcoin.Secp256k1's managed port: always there, several times slower than the C library.</summary>
public sealed class ManagedRecovery : IPublicKeyRecovery
{
    public static ManagedRecovery Instance { get; } = new();

    public string Name => "managed NBitcoin.Secp256k1";

    public bool TryRecover(ReadOnlySpan<byte> compact64, int recoveryId, ReadOnlySpan<byte> hash32, Span<byte> compressedKey)
    {
        if (compact64.Length != 64 || hash32.Length != 32 || compressedKey.Length < 33 || recoveryId is < 0 or > 3)
            return false;
        if (!SecpRecoverableECDSASignature.TryCreateFromCompact(compact64, recoveryId, out var recoverable)
            || !ECPubKey.TryRecover(Context.Instance, recoverable, hash32, out var recovered))
            return false;
        recovered.WriteToSpan(compressed: true, compressedKey, out _);
        return true;
    }
}
