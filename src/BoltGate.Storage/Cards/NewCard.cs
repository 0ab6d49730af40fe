using BoltGate.Core.Money;

namespace BoltGate.Storage.Cards;

/// <summary>A card to create. <paramref name="ImportedKeys"/> is K0..K4 (80 bytes) for imported cards, null otherwise.</summary>
public sealed record NewCard(
    string Id,
    string Name,
    string? UidHex,
    int KeyVersion,
    CardKeySource KeySource,
    byte[]? ImportedKeys,
    Msat? PerTapLimit,
    Msat? DailyLimit);
