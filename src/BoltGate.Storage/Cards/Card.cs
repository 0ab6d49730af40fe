using BoltGate.Core.Money;

namespace BoltGate.Storage.Cards;

/// <summary>A card as stored. <see cref="Counter"/> is the last tap counter consumed (-1 before the first).</summary>
public sealed record Card(
    string Id,
    string Name,
    string? UidHex,
    int KeyVersion,
    CardKeySource KeySource,
    long Counter,
    Msat Balance,
    Msat? PerTapLimit,
    Msat? DailyLimit,
    bool Enabled,
    string? PinHash,
    Msat? PinLimit,
    int PinFailures,
    bool Locked,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public bool HasPin => PinHash is not null;
}
