namespace BoltGate.Core.Secp256k1;

/// <summary>
/// ECDSA public-key recovery on secp256k1, the one EC operation every BOLT11 decode without an <c>n</c> field
/// needs: from a compact signature (r || s), its recovery id and the signed 32-byte hash, the signer's key.
/// </summary>
public interface IPublicKeyRecovery
{
    /// <summary>Which implementation this is ("native libsecp256k1" or "managed NBitcoin.Secp256k1").</summary>
    string Name { get; }

    /// <summary>
    /// Writes the 33-byte compressed key into <paramref name="compressedKey"/>; false when no key recovers
    /// (the signature is invalid for this hash). Never mutates its inputs.
    /// </summary>
    bool TryRecover(ReadOnlySpan<byte> compact64, int recoveryId, ReadOnlySpan<byte> hash32, Span<byte> compressedKey);
}
