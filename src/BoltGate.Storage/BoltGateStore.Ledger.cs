using System.Data.Common;
using System.Text.Json.Nodes;
using BoltGate.Core.Money;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Outbox;
using Dapper;

namespace BoltGate.Storage;

/// <summary>Money on a card: credits, the append-only ledger every balance change writes, the daily limit's usage.</summary>
public sealed partial class BoltGateStore
{
    /// <summary>Adds <paramref name="amount"/> to the balance with a top-up ledger entry; null when the card is unknown.</summary>
    public Task<Card?> CreditAsync(string cardId, Msat amount, string? note, CancellationToken ct = default)
    {
        if (!amount.IsPositive)
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A credit must be positive.");
        return WriteAsync<Card?>(async (c, tx) =>
        {
            var credited = await CreditInAsync(c, tx, cardId, amount, note, NowMs(), ct).ConfigureAwait(false);
            return (credited, credited is not null);
        }, ct);
    }

    /// <summary>The credit of <see cref="CreditAsync"/> inside the caller's transaction; null when the card is unknown.</summary>
    private async Task<Card?> CreditInAsync(DbConnection c, DbTransaction tx, string cardId, Msat amount, string? note, long now,
        CancellationToken ct)
    {
        var n = await c.ExecuteAsync(Cmd(
            "UPDATE cards SET balance_msat = balance_msat + @amount, updated_at = @now WHERE id = @cardId",
            new { cardId, amount = amount.Value, now }, tx, ct)).ConfigureAwait(false);
        if (n == 0)
            return null;
        await AppendLedgerAsync(c, tx, cardId, LedgerKind.TopUp, amount, null, note, now, ct).ConfigureAwait(false);
        var credited = await GetCardAsync(c, tx, cardId, ct).ConfigureAwait(false);
        await AppendEventAsync(c, tx, OutboxEventTypes.CardCredited, cardId, new JsonObject
        {
            ["card_id"] = cardId, ["amount_msat"] = amount.Value, ["balance_msat"] = credited!.Balance.Value,
        }, now, ct).ConfigureAwait(false);
        return credited;
    }

    /// <summary>How much of the daily limit the card used on the UTC day of <paramref name="at"/>.</summary>
    public Task<Msat> GetDailyUsageAsync(string cardId, DateTimeOffset at, CancellationToken ct = default) =>
        ReadAsync(async c => new Msat(await c.ExecuteScalarAsync<long?>(Cmd(
            "SELECT used_msat FROM daily_usage WHERE card_id = @cardId AND day = @day",
            new { cardId, day = ColumnValues.Day(at) }, null, ct)).ConfigureAwait(false) ?? 0), ct);

    /// <summary>A card's ledger, oldest first.</summary>
    public Task<IReadOnlyList<LedgerEntry>> ListLedgerAsync(string cardId, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<LedgerEntry>>(async c => (await c.QueryAsync<LedgerRow>(Cmd(
            $"SELECT {LedgerRow.Columns} FROM ledger WHERE card_id = @cardId ORDER BY id", new { cardId }, null, ct))
            .ConfigureAwait(false)).Select(r => r.ToEntry()).ToList(), ct);

    /// <summary>The sum of a card's ledger entries: by construction, its balance.</summary>
    public Task<Msat> LedgerSumAsync(string cardId, CancellationToken ct = default) =>
        ReadAsync(async c => new Msat(await c.ExecuteScalarAsync<long?>(Cmd(
            "SELECT SUM(amount_msat) FROM ledger WHERE card_id = @cardId", new { cardId }, null, ct)).ConfigureAwait(false) ?? 0), ct);

    /// <summary>Cards whose balance column differs from their ledger sum (should always be empty).</summary>
    public Task<IReadOnlyList<string>> FindLedgerMismatchesAsync(CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<string>>(async c => (await c.QueryAsync<string>(Cmd(
            "SELECT c.id FROM cards c LEFT JOIN (SELECT card_id, SUM(amount_msat) AS total FROM ledger GROUP BY card_id) l " +
            "ON l.card_id = c.id WHERE c.balance_msat <> COALESCE(l.total, 0)", null, null, ct)).ConfigureAwait(false)).ToList(), ct);

    private static Task AppendLedgerAsync(
        DbConnection c, DbTransaction tx, string cardId, LedgerKind kind, Msat amount, string? withdrawalId, string? note, long now,
        CancellationToken ct) =>
        c.ExecuteAsync(Cmd(
            "INSERT INTO ledger (card_id, kind, amount_msat, withdrawal_id, note, created_at) " +
            "VALUES (@cardId, @kind, @amount, @withdrawalId, @note, @now)",
            new { cardId, kind = ColumnValues.LedgerKind(kind), amount = amount.Value, withdrawalId, note, now }, tx, ct));

    private static async Task CreditBalanceAsync(DbConnection c, DbTransaction tx, string cardId, Msat amount, long now, CancellationToken ct)
    {
        if (amount.IsZero)
            return;
        await c.ExecuteAsync(Cmd("UPDATE cards SET balance_msat = balance_msat + @amount, updated_at = @now WHERE id = @cardId",
            new { cardId, amount = amount.Value, now }, tx, ct)).ConfigureAwait(false);
    }
}
