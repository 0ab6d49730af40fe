using BoltGate.Core.Crypto;

namespace BoltGate.Core.Keys;

/// <summary>
/// The five application keys of a Boltcard: K0 AppMasterKey (ChangeKey), K1 SDMMetaReadKey
/// (decrypts <c>p</c>), K2 SDMFileReadKey (MACs <c>c</c>), K3/K4 unused but set.
/// </summary>
public sealed record CardKeys(Key128 K0, Key128 K1, Key128 K2, Key128 K3, Key128 K4)
{
    public override string ToString() => "CardKeys(K0..K4 redacted)";
}
