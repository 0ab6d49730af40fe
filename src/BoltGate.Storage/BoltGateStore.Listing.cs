using System.Text;
using BoltGate.Core.Money;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Listing;
using BoltGate.Storage.Withdrawals;
using Dapper;

namespace BoltGate.Storage;

/// <summary>
/// The operator's listings: cards, a card's ledger and withdrawals, paged by keyset (the sort value and id
/// of the last row seen), so a page is one index range whatever the page number, and rows added meanwhile
/// neither repeat nor shift the pages.
/// </summary>
public sealed partial class BoltGateStore
{
    private const string StatusSql =
        "CASE WHEN EXISTS (SELECT 1 FROM card_resets r WHERE r.card_id = cards.id) THEN 'Wiped' " +
        "WHEN cards.locked <> 0 THEN 'Locked' WHEN cards.enabled = 0 THEN 'Disabled' ELSE 'Active' END";

    private const string LastTapSql = "(SELECT MAX(s.created_at) FROM k1_sessions s WHERE s.card_id = cards.id)";

    public Task<Page<CardSummary>> ListCardsAsync(CardQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sortKey = query.Sort == CardSort.LastTap ? $"COALESCE({LastTapSql}, -1)" : "cards.created_at";
        var sql = new StringBuilder($"SELECT * FROM (SELECT {Prefixed("cards.", CardRow.Columns)}, {StatusSql} AS status, " +
            $"{LastTapSql} AS last_tap_at, {sortKey} AS sort_key FROM cards) x WHERE 1 = 1");
        var args = new DynamicParameters();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            sql.Append(" AND (LOWER(x.name) LIKE @search ESCAPE '\\' OR x.id LIKE @search ESCAPE '\\' OR LOWER(COALESCE(x.uid, '')) LIKE @search ESCAPE '\\')");
            args.Add("search", "%" + EscapeLike(query.Search.Trim().ToLowerInvariant()) + "%");
        }
        if (query.Status is { } status)
        {
            sql.Append(" AND x.status = @status");
            args.Add("status", status.ToString());
        }
        if (query.After is { } after)
        {
            sql.Append(" AND (x.sort_key < @afterKey OR (x.sort_key = @afterKey AND x.id < @afterId))");
            args.Add("afterKey", after.Key);
            args.Add("afterId", after.Id);
        }
        sql.Append(" ORDER BY x.sort_key DESC, x.id DESC LIMIT @limit");
        args.Add("limit", (long)query.Limit + 1);
        return ReadAsync(async c =>
        {
            var rows = (await c.QueryAsync<CardListRow>(Cmd(sql.ToString(), args, null, ct)).ConfigureAwait(false)).ToList();
            var items = rows.Take(query.Limit)
                .Select(r => new CardSummary(r.ToCard(), Enum.Parse<CardStatus>(r.Status), ColumnValues.Time(r.LastTapAt))).ToList();
            var next = rows.Count > query.Limit ? new PageCursor(rows[query.Limit - 1].SortKey, rows[query.Limit - 1].Id) : (PageCursor?)null;
            return new Page<CardSummary>(items, next);
        }, ct);
    }

    /// <summary>A card's status, last tap and counts; null when the card is unknown.</summary>
    public Task<CardFacts?> GetCardFactsAsync(string cardId, CancellationToken ct = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<CardFactsRow>(Cmd(
            $"SELECT {StatusSql} AS status, payment_policy, {LastTapSql} AS last_tap_at, " +
            "(SELECT COUNT(*) FROM k1_sessions s WHERE s.card_id = cards.id) AS taps, " +
            "(SELECT COUNT(*) FROM withdrawals w WHERE w.card_id = cards.id) AS withdrawals, " +
            "(SELECT COUNT(*) FROM withdrawals w WHERE w.card_id = cards.id AND w.state = 'Succeeded') AS succeeded, " +
            "(SELECT COUNT(*) FROM withdrawals w WHERE w.card_id = cards.id AND w.state = 'Failed') AS failed, " +
            $"(SELECT COUNT(*) FROM withdrawals w WHERE w.card_id = cards.id AND w.state IN {HoldingStates}) AS pending, " +
            $"(SELECT COALESCE(SUM(w.amount_msat + w.fee_reserve_msat), 0) FROM withdrawals w WHERE w.card_id = cards.id AND w.state IN {HoldingStates}) AS reserved " +
            "FROM cards WHERE id = @cardId", new { cardId }, null, ct)).ConfigureAwait(false))?.ToFacts(), ct);

    /// <summary>A card's ledger, oldest first, <paramref name="limit"/> entries after the entry id <paramref name="afterId"/>.</summary>
    public Task<Page<LedgerEntry>> ListLedgerPageAsync(string cardId, long? afterId, int limit, CancellationToken ct = default) =>
        ReadAsync(async c =>
        {
            var rows = (await c.QueryAsync<LedgerRow>(Cmd(
                $"SELECT {LedgerRow.Columns} FROM ledger WHERE card_id = @cardId AND id > @afterId ORDER BY id LIMIT @limit",
                new { cardId, afterId = afterId ?? 0, limit = (long)limit + 1 }, null, ct)).ConfigureAwait(false)).ToList();
            var next = rows.Count > limit ? new PageCursor(rows[limit - 1].Id, "") : (PageCursor?)null;
            return new Page<LedgerEntry>(rows.Take(limit).Select(r => r.ToEntry()).ToList(), next);
        }, ct);

    /// <summary>Withdrawals matching <paramref name="query"/>, newest reservation first.</summary>
    public Task<Page<Withdrawal>> ListWithdrawalsPageAsync(WithdrawalQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder($"SELECT {WithdrawalRow.Columns} FROM withdrawals WHERE 1 = 1");
        var args = new DynamicParameters();
        void Filter(string condition, string name, object? value)
        {
            sql.Append(" AND ").Append(condition);
            args.Add(name, value);
        }
        if (query.CardId is { } cardId)
            Filter("card_id = @cardId", "cardId", cardId);
        if (query.State is { } state)
            Filter("state = @state", "state", state.ToString());
        if (query.FailureCode is { } failure)
            Filter("failure_code = @failure", "failure", failure);
        if (query.From is { } from)
            Filter("reserved_at >= @from", "from", ColumnValues.Ms(from));
        if (query.To is { } to)
            Filter("reserved_at < @to", "to", ColumnValues.Ms(to));
        if (query.After is { } after)
        {
            Filter("(reserved_at < @afterKey OR (reserved_at = @afterKey AND id < @afterId))", "afterKey", after.Key);
            args.Add("afterId", after.Id);
        }
        sql.Append(" ORDER BY reserved_at DESC, id DESC LIMIT @limit");
        args.Add("limit", (long)query.Limit + 1);
        return ReadAsync(async c =>
        {
            var rows = (await c.QueryAsync<WithdrawalRow>(Cmd(sql.ToString(), args, null, ct)).ConfigureAwait(false)).ToList();
            var next = rows.Count > query.Limit ? new PageCursor(rows[query.Limit - 1].ReservedAt, rows[query.Limit - 1].Id) : (PageCursor?)null;
            return new Page<Withdrawal>(rows.Take(query.Limit).Select(r => r.ToWithdrawal()).ToList(), next);
        }, ct);
    }

    /// <summary>The tap and k1 behind a withdrawal and the ledger entries it wrote (reservation, refund, fee release).</summary>
    public Task<WithdrawalHistory> GetWithdrawalHistoryAsync(Withdrawal withdrawal, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(withdrawal);
        return ReadAsync(async c =>
        {
            var session = await c.QuerySingleOrDefaultAsync<SessionRow>(Cmd(
                $"SELECT {SessionRow.Columns} FROM k1_sessions WHERE k1 = @K1", new { withdrawal.K1 }, null, ct)).ConfigureAwait(false);
            var ledger = (await c.QueryAsync<LedgerRow>(Cmd(
                $"SELECT {LedgerRow.Columns} FROM ledger WHERE withdrawal_id = @Id ORDER BY id", new { withdrawal.Id }, null, ct))
                .ConfigureAwait(false)).Select(r => r.ToEntry()).ToList();
            return new WithdrawalHistory(ColumnValues.Time(session?.CreatedAt), ColumnValues.Time(session?.ExpiresAt), ledger);
        }, ct);
    }

    private static string Prefixed(string prefix, string columns) =>
        string.Join(", ", columns.Split(", ").Select(column => prefix + column));

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>A card row with the listing's computed status, last tap and keyset position.</summary>
    private sealed class CardListRow : CardRow
    {
        public string Status { get; set; } = "";
        public long? LastTapAt { get; set; }
        public long SortKey { get; set; }
    }

    private sealed class CardFactsRow
    {
        public string Status { get; set; } = "";
        public string PaymentPolicy { get; set; } = "";
        public long? LastTapAt { get; set; }
        public long Taps { get; set; }
        public long Withdrawals { get; set; }
        public long Succeeded { get; set; }
        public long Failed { get; set; }
        public long Pending { get; set; }
        public long Reserved { get; set; }

        public CardFacts ToFacts() => new(Enum.Parse<CardStatus>(Status), Enum.Parse<PaymentPolicy>(PaymentPolicy), ColumnValues.Time(LastTapAt), Taps, Withdrawals, Succeeded, Failed,
            Pending, new Msat(Reserved));
    }
}
