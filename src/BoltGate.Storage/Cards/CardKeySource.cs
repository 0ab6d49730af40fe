namespace BoltGate.Storage.Cards;

/// <summary>Where a card's five AES keys come from.</summary>
public enum CardKeySource
{
    /// <summary>Derived from the issuer key, the UID and the key version (nothing secret stored per card).</summary>
    Deterministic,

    /// <summary>Imported as-is; stored encrypted under the data key.</summary>
    Imported,
}
