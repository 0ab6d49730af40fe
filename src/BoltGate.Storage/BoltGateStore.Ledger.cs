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
    /// <summary>
    /// The most a card's balance may hold: 21 million BTC. Any sum of two amounts at most this fits in
    /// 64 bits, so a credit can be refused before the database's arithmetic could overflow.
    /// </summary>
    public static readonly Msat MaxBalance = new(2_100_000_000_000_000_000);

    /// <summary>Adds <paramref name="amount"/> to the balance with a top-up ledger entry; null when the card is unknown.</summary>
    /// <exception cref="InvalidOperationException">The balance would go above <see cref="MaxBalance"/> (see <see cref="TryCreditAsync"/>).</exception>
    public async Task<Card?> CreditAsync(string cardId, Msat amount, string? note, CancellationToken ct = default) =>
        await TryCreditAsync(cardId, amount, note, ct).ConfigureAwait(false) switch
        {
            CreditResult.Done done => done.Card,
            CreditResult.AboveMaximum => throw new InvalidOperationException("The credit would take the balance above the maximum."),
            _ => null,
        };

    /// <summary>Adds <paramref name="amount"/> to the balance with a top-up ledger entry, unless the balance would go above <see cref="MaxBalance"/>.</summary>
    public Task<CreditResult> TryCreditAsync(string cardId, Msat amount, string? note, CancellationToken ct = default)
    {
        if (!amount.IsPositive || amount > MaxBalance)
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A credit must be positive and at most the maximum balance.");
        return WriteAsync<CreditResult>(async (c, tx) =>
        {
            var result = await CreditInAsync(c, tx, cardId, amount, note, NowMs(), ct).ConfigureAwait(false);
            return (result, result is CreditResult.Done);
        }, ct);
    }

    /// <summary>The credit of <see cref="TryCreditAsync"/> inside the caller's transaction, held under <see cref="MaxBalance"/>.</summary>
    private async Task<CreditResult> CreditInAsync(DbConnection c, DbTransaction tx, string cardId, Msat amount, string? note, long now,
        CancellationToken ct)
    {
        var n = await c.ExecuteAsync(Cmd(
            "UPDATE cards SET balance_msat = balance_msat + @amount, updated_at = @now WHERE id = @cardId AND balance_msat <= @room",
            new { cardId, amount = amount.Value, now, room = MaxBalance.Value - amount.Value }, tx, ct)).ConfigureAwait(false);
        if (n == 0)
        {
            var card = await GetCardAsync(c, tx, cardId, ct).ConfigureAwait(false);
            return card is null ? new CreditResult.CardNotFound() : new CreditResult.AboveMaximum(card.Balance);
        }
        await AppendLedgerAsync(c, tx, cardId, LedgerKind.TopUp, amount, null, note, now, ct).ConfigureAwait(false);
        var credited = await GetCardAsync(c, tx, cardId, ct).ConfigureAwait(false);
        await AppendEventAsync(c, tx, OutboxEventTypes.CardCredited, cardId, new JsonObject
        {
            ["card_id"] = cardId,
            ["amount_msat"] = amount.Value,
            ["balance_msat"] = credited!.Balance.Value,
        }, now, ct).ConfigureAwait(false);
        return new CreditResult.Done(credited);
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
