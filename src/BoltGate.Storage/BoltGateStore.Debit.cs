using System.Data.Common;
using BoltGate.Core.Money;
using BoltGate.Storage.Ledger;
using Dapper;

namespace BoltGate.Storage;

public sealed partial class BoltGateStore
{
    /// <summary>
    /// Takes <paramref name="amount"/> off the balance with a debit ledger entry (an operator paying a card
    /// out by other means, or correcting a credit). The database refuses to go below zero
    /// (<c>WHERE balance_msat &gt;= @amount</c>), so a debit racing a withdrawal's reservation never
    /// leaves the card negative; money reserved for a withdrawal is not in the balance and cannot be debited.
    /// </summary>
    public Task<DebitResult> DebitAsync(string cardId, Msat amount, string? note, CancellationToken ct = default)
    {
        if (!amount.IsPositive)
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A debit must be positive.");
        return WriteAsync(async (c, tx) =>
        {
            var result = await DebitInAsync(c, tx, cardId, amount, note, NowMs(), ct).ConfigureAwait(false);
            return (result, result is DebitResult.Done);
        }, ct);
    }

    /// <summary>The debit of <see cref="DebitAsync"/> inside the caller's transaction (which must roll back unless it is Done).</summary>
    private static async Task<DebitResult> DebitInAsync(DbConnection c, DbTransaction tx, string cardId, Msat amount, string? note, long now,
        CancellationToken ct)
    {
        var n = await c.ExecuteAsync(Cmd(
            "UPDATE cards SET balance_msat = balance_msat - @amount, updated_at = @now WHERE id = @cardId AND balance_msat >= @amount",
            new { cardId, amount = amount.Value, now }, tx, ct)).ConfigureAwait(false);
        if (n == 0)
        {
            return await GetCardAsync(c, tx, cardId, ct).ConfigureAwait(false) is { } card
                ? new DebitResult.InsufficientBalance(card.Balance)
                : new DebitResult.CardNotFound();
        }
        await AppendLedgerAsync(c, tx, cardId, LedgerKind.Debit, -amount, null, note, now, ct).ConfigureAwait(false);
        return new DebitResult.Done((await GetCardAsync(c, tx, cardId, ct).ConfigureAwait(false))!);
    }
}
