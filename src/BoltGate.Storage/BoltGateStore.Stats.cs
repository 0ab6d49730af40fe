using BoltGate.Core.Money;
using BoltGate.Storage.Listing;
using Dapper;

namespace BoltGate.Storage;

/// <summary>
/// Operator statistics, derived from the rows the gateway keeps anyway (k1 sessions, withdrawals, the ledger):
/// no counter is written on the tap or payment path. Balances at a bucket's end are the ledger's sum up to then.
/// </summary>
public sealed partial class BoltGateStore
{
    public Task<IReadOnlyList<StatsBucket>> GetStatsAsync(DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, CancellationToken ct = default)
    {
        if (bucket <= TimeSpan.Zero || to <= from)
            throw new ArgumentOutOfRangeException(nameof(bucket), "The range must be non-empty and the bucket positive.");
        var (fromMs, toMs, bucketMs) = (ColumnValues.Ms(from), ColumnValues.Ms(to), (long)bucket.TotalMilliseconds);
        var count = checked((int)((toMs - fromMs + bucketMs - 1) / bucketMs));
        return ReadAsync<IReadOnlyList<StatsBucket>>(async c =>
        {
            var args = new { fromMs, toMs, bucketMs };
            var taps = (await c.QueryAsync<(long Bucket, long Offered, long Used)>(Cmd(
                "SELECT (created_at - @fromMs) / @bucketMs AS b, COUNT(*), CAST(SUM(CASE WHEN consumed_at IS NULL THEN 0 ELSE 1 END) AS BIGINT) " +
                "FROM k1_sessions WHERE created_at >= @fromMs AND created_at < @toMs GROUP BY (created_at - @fromMs) / @bucketMs",
                args, null, ct)).ConfigureAwait(false)).ToDictionary(t => t.Bucket);
            var withdrawals = (await c.QueryAsync<WithdrawalStatRow>(Cmd(
                "SELECT (reserved_at - @fromMs) / @bucketMs AS bucket, state, failure_code, amount_msat, fee_msat, reserved_at, finished_at " +
                "FROM withdrawals WHERE reserved_at >= @fromMs AND reserved_at < @toMs", args, null, ct)).ConfigureAwait(false)).ToList();
            var buckets = new List<StatsBucket>(count);
            for (var i = 0; i < count; i++)
            {
                var start = fromMs + i * bucketMs;
                var end = Math.Min(start + bucketMs, toMs);
                var mine = withdrawals.Where(w => w.Bucket == i).ToList();
                var failed = mine.Where(w => w.State == "Failed").ToList();
                var balances = await c.ExecuteScalarAsync<long?>(Cmd(
                    "SELECT SUM(amount_msat) FROM ledger WHERE created_at < @end", new { end }, null, ct)).ConfigureAwait(false) ?? 0;
                // Reserved: what the card holders' withdrawals held at the end (reserved before it, not final by then).
                var reserved = await c.ExecuteScalarAsync<long?>(Cmd(
                    "SELECT SUM(-l.amount_msat) FROM ledger l JOIN withdrawals w ON w.id = l.withdrawal_id " +
                    "WHERE l.kind = 'reservation' AND w.reserved_at < @end AND (w.finished_at IS NULL OR w.finished_at >= @end)",
                    new { end }, null, ct)).ConfigureAwait(false) ?? 0;
                taps.TryGetValue(i, out var tap);
                buckets.Add(new StatsBucket(ColumnValues.Time(start), ColumnValues.Time(end), tap.Offered, tap.Used,
                    mine.GroupBy(w => w.State).ToDictionary(g => g.Key, g => (long)g.Count()),
                    failed.GroupBy(w => w.FailureCode ?? "unknown").ToDictionary(g => g.Key, g => (long)g.Count()),
                    new Msat(mine.Where(w => w.State == "Succeeded").Sum(w => w.AmountMsat)),
                    new Msat(mine.Where(w => w.State == "Succeeded").Sum(w => w.FeeMsat ?? 0)),
                    new Msat(failed.Sum(w => w.AmountMsat)),
                    failed.Where(w => w.FinishedAt is not null).Select(w => TimeSpan.FromMilliseconds(w.FinishedAt!.Value - w.ReservedAt))
                        .Order().ToList(),
                    new Msat(balances), new Msat(reserved)));
            }
            return buckets;
        }, ct);
    }

    private sealed class WithdrawalStatRow
    {
        public long Bucket { get; set; }
        public string State { get; set; } = "";
        public string? FailureCode { get; set; }
        public long AmountMsat { get; set; }
        public long? FeeMsat { get; set; }
        public long ReservedAt { get; set; }
        public long? FinishedAt { get; set; }
    }
}
