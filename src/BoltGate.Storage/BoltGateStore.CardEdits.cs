using BoltGate.Storage.Cards;

namespace BoltGate.Storage;

public sealed partial class BoltGateStore
{
    /// <summary>Renames the card; null when it is unknown.</summary>
    public Task<Card?> RenameCardAsync(string cardId, string name, CancellationToken ct = default) =>
        UpdateCardAsync(cardId, "name = @name", new { name }, ct);
}
