using System.Data.Common;
using BoltGate.Core.Money;
using BoltGate.Storage.Ledger;
using Dapper;

namespace BoltGate.Storage;

public sealed partial class BoltGateStore
{
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
            new { cardId, kind = Codes.LedgerKind(kind), amount = amount.Value, withdrawalId, note, now }, tx, ct));
}
