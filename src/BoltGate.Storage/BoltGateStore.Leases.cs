using BoltGate.Storage.Withdrawals;
using Dapper;

namespace BoltGate.Storage;

/// <summary>
/// Leases: which instance drives a withdrawal. A lease is taken, renewed and given back by conditional
/// updates, so however many instances share the database, one at a time holds each row.
/// </summary>
public sealed partial class BoltGateStore
{
    /// <summary>
    /// Takes (or extends) the lease on one unfinished withdrawal for <paramref name="owner"/>. False when
    /// another owner holds a live lease or the withdrawal is final: then someone else drives it, or no one must.
    /// </summary>
    public Task<bool> TryLeaseAsync(string id, string owner, TimeSpan leaseFor, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var now = NowMs();
            var n = await c.ExecuteAsync(Cmd(
                "UPDATE withdrawals SET lease_owner = @owner, lease_until = @until " +
                $"WHERE id = @id AND state IN {HoldingStates} AND (lease_until IS NULL OR lease_until <= @now OR lease_owner = @owner)",
                new { id, owner, until = now + (long)leaseFor.TotalMilliseconds, now }, tx, ct)).ConfigureAwait(false);
            return (n == 1, n == 1);
        }, ct);

    /// <summary>
    /// The reconciler's claim: up to <paramref name="limit"/> unfinished withdrawals whose lease is free or
    /// lapsed, leased to <paramref name="owner"/> for <paramref name="leaseFor"/>. Two instances never hold
    /// the same row at once (the lease condition is re-checked by the update; PostgreSQL also skips rows
    /// another claimer has locked). It leaves alone what is not due — a withdrawal waiting for its retry
    /// time, and one reserved less than <paramref name="freshFor"/> ago and never sent (the callback that
    /// reserved it is about to take it).
    /// </summary>
    public Task<IReadOnlyList<Withdrawal>> ClaimDueAsync(string owner, TimeSpan leaseFor, int limit, TimeSpan freshFor, CancellationToken ct = default) =>
        WriteAsync<IReadOnlyList<Withdrawal>>(async (c, tx) =>
        {
            var now = NowMs();
            const string due =
                $"state IN {HoldingStates} AND (lease_until IS NULL OR lease_until <= @now) " +
                "AND (next_attempt_at IS NULL OR next_attempt_at <= @now) " +
                "AND NOT (state = 'Reserved' AND attempts = 0 AND reserved_at > @freshSince)";
            var rows = await c.QueryAsync<WithdrawalRow>(Cmd(
                "UPDATE withdrawals SET lease_owner = @owner, lease_until = @until " +
                $"WHERE id IN (SELECT id FROM withdrawals WHERE {due} ORDER BY reserved_at, id LIMIT @limit{_engine.ForUpdateSkipLocked}) " +
                $"AND {due} RETURNING {WithdrawalRow.Columns}",
                new
                {
                    owner,
                    until = now + (long)leaseFor.TotalMilliseconds,
                    now,
                    limit = (long)limit,
                    freshSince = now - (long)freshFor.TotalMilliseconds,
                }, tx, ct)).ConfigureAwait(false);
            return (rows.Select(r => r.ToWithdrawal()).OrderBy(w => w.ReservedAt).ToList(), true);
        }, ct);

    /// <summary>
    /// A live owner's renewal: extends to now + <paramref name="leaseFor"/> the leases <paramref name="owner"/>
    /// still holds on <paramref name="ids"/> (the withdrawals it is driving). A row another instance took over,
    /// or one that became final, is left alone. Returns the ids renewed. It runs ahead of queued new work,
    /// so a busy writer does not let a live owner's leases lapse.
    /// </summary>
    public async Task<IReadOnlyList<string>> RenewLeasesAsync(string owner, IReadOnlyCollection<string> ids, TimeSpan leaseFor,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var renewed = new List<string>(ids.Count);
        foreach (var chunk in ids.Chunk(500))
        {
            renewed.AddRange(await WriteAsync(async (c, tx) =>
            {
                var rows = await c.QueryAsync<string>(Cmd(
                    "UPDATE withdrawals SET lease_until = @until " +
                    $"WHERE id {_engine.InList("@chunk")} AND lease_owner = @owner AND state IN {HoldingStates} RETURNING id",
                    new { chunk, owner, until = NowMs() + (long)leaseFor.TotalMilliseconds }, tx, ct)).ConfigureAwait(false);
                return (rows.ToList(), true);
            }, ct, urgent: true).ConfigureAwait(false));
        }
        return renewed;
    }

    /// <summary>Gives a claimed row back before its lease ends; only the owner can.</summary>
    public Task<bool> ReleaseLeaseAsync(string id, string owner, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var n = await c.ExecuteAsync(Cmd(
                "UPDATE withdrawals SET lease_owner = NULL, lease_until = NULL WHERE id = @id AND lease_owner = @owner",
                new { id, owner }, tx, ct)).ConfigureAwait(false);
            return (n == 1, n == 1);
        }, ct);

    /// <summary>
    /// Frees every lease held under <paramref name="owner"/>: called once at start-up, when those leases can
    /// only belong to this instance's previous (crashed or stopped) run, so its rows are taken back at once
    /// instead of after the leases lapse. Returns how many were freed.
    /// </summary>
    public Task<int> ReleaseLeasesOfAsync(string owner, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var n = await c.ExecuteAsync(Cmd(
                "UPDATE withdrawals SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @owner",
                new { owner }, tx, ct)).ConfigureAwait(false);
            return (n, true);
        }, ct);
}
