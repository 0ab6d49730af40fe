using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Storage.Operators;
using BoltGate.Storage.Withdrawals;
using Dapper;

namespace BoltGate.Storage;

/// <summary>
/// What the web console reads and keeps beyond the card service: operator accounts with their sign-in
/// failures, the paged list of every card's withdrawals, the liabilities and the hourly activity of the overview,
/// and the holder balance check's counter step.
/// </summary>
public sealed partial class BoltGateStore
{
    /// <summary>Adds an account; false when the name is taken.</summary>
    public Task<bool> CreateConsoleUserAsync(string name, string passwordHash, string role, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var now = NowMs();
            var inserted = await c.ExecuteAsync(Cmd(
                "INSERT INTO console_users (name, password_hash, role, failed_signins, created_at, updated_at) " +
                "VALUES (@name, @passwordHash, @role, 0, @now, @now) ON CONFLICT DO NOTHING",
                new { name, passwordHash, role, now }, tx, ct)).ConfigureAwait(false);
            return (inserted == 1, inserted == 1);
        }, ct);

    public Task<ConsoleUser?> GetConsoleUserAsync(string name, CancellationToken ct = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<ConsoleUserRow>(Cmd(
            $"SELECT {ConsoleUserRow.Columns} FROM console_users WHERE name = @name", new { name }, null, ct)).ConfigureAwait(false))?.ToUser(), ct);

    public Task<IReadOnlyList<ConsoleUser>> ListConsoleUsersAsync(CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<ConsoleUser>>(async c => (await c.QueryAsync<ConsoleUserRow>(Cmd(
            $"SELECT {ConsoleUserRow.Columns} FROM console_users ORDER BY name", null, null, ct)).ConfigureAwait(false))
            .Select(r => r.ToUser()).ToList(), ct);

    public Task<long> CountConsoleUsersAsync(CancellationToken ct = default) =>
        ReadAsync(c => c.ExecuteScalarAsync<long>(Cmd("SELECT COUNT(*) FROM console_users", null, null, ct)), ct);

    /// <summary>
    /// Counts a wrong password; the <paramref name="maxFailures"/>th in a row locks the account for
    /// <paramref name="lockFor"/> (and starts the count again). Returns the account as it is now, or null.
    /// </summary>
    public Task<ConsoleUser?> RecordSignInFailureAsync(string name, int maxFailures, TimeSpan lockFor, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var now = NowMs();
            var until = now + (long)lockFor.TotalMilliseconds;
            await c.ExecuteAsync(Cmd(
                "UPDATE console_users SET " +
                "locked_until = CASE WHEN failed_signins + 1 >= @maxFailures THEN @until ELSE locked_until END, " +
                "failed_signins = CASE WHEN failed_signins + 1 >= @maxFailures THEN 0 ELSE failed_signins + 1 END, " +
                "updated_at = @now WHERE name = @name",
                new { name, maxFailures = (long)maxFailures, until, now }, tx, ct)).ConfigureAwait(false);
            var row = await c.QuerySingleOrDefaultAsync<ConsoleUserRow>(Cmd(
                $"SELECT {ConsoleUserRow.Columns} FROM console_users WHERE name = @name", new { name }, tx, ct)).ConfigureAwait(false);
            return (row?.ToUser(), row is not null);
        }, ct);

    /// <summary>After a good password: the failure count starts again.</summary>
    public Task ResetSignInFailuresAsync(string name, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var changed = await c.ExecuteAsync(Cmd(
                "UPDATE console_users SET failed_signins = 0, locked_until = NULL, updated_at = @now WHERE name = @name AND " +
                "(failed_signins <> 0 OR locked_until IS NOT NULL)", new { name, now = NowMs() }, tx, ct)).ConfigureAwait(false);
            return (changed, changed > 0);
        }, ct);

    public Task<bool> SetConsoleUserPasswordAsync(string name, string passwordHash, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var changed = await c.ExecuteAsync(Cmd(
                "UPDATE console_users SET password_hash = @passwordHash, failed_signins = 0, locked_until = NULL, updated_at = @now " +
                "WHERE name = @name", new { name, passwordHash, now = NowMs() }, tx, ct)).ConfigureAwait(false);
            return (changed == 1, changed == 1);
        }, ct);

    public Task<bool> DeleteConsoleUserAsync(string name, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var deleted = await c.ExecuteAsync(Cmd("DELETE FROM console_users WHERE name = @name", new { name }, tx, ct)).ConfigureAwait(false);
            return (deleted == 1, deleted == 1);
        }, ct);

    /// <summary>Withdrawals of every card, newest first; <paramref name="states"/> empty means any state.</summary>
    public Task<Page<Withdrawal>> ListAllWithdrawalsPageAsync(IReadOnlyCollection<WithdrawalState> states, string? cardId, int offset, int limit,
        CancellationToken ct = default) =>
        ReadAsync(async c =>
        {
            var where = new List<string>();
            if (states.Count > 0)
                where.Add("state IN (" + string.Join(", ", states.Select(s => $"'{s}'")) + ")");
            if (!string.IsNullOrWhiteSpace(cardId))
                where.Add("card_id = @cardId");
            var filter = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
            var args = new { cardId = cardId?.Trim(), offset = (long)offset, limit = (long)limit };
            var total = await c.ExecuteScalarAsync<long>(Cmd("SELECT COUNT(*) FROM withdrawals" + filter, args, null, ct)).ConfigureAwait(false);
            var rows = await c.QueryAsync<WithdrawalRow>(Cmd(
                $"SELECT {WithdrawalRow.Columns} FROM withdrawals{filter} ORDER BY reserved_at DESC, id DESC LIMIT @limit OFFSET @offset",
                args, null, ct)).ConfigureAwait(false);
            return new Page<Withdrawal>(rows.Select(r => r.ToWithdrawal()).ToList(), total, offset, limit);
        }, ct);

    /// <summary>The sum of all balances, and of what withdrawals not yet final hold back (amount + fee reserve).</summary>
    public Task<Liabilities> GetLiabilitiesAsync(CancellationToken ct = default) =>
        ReadAsync(async c =>
        {
            var cards = await c.QuerySingleAsync<(long Count, long? Sum)>(Cmd(
                "SELECT COUNT(*), CAST(SUM(balance_msat) AS BIGINT) FROM cards", null, null, ct)).ConfigureAwait(false);
            var held = await c.QuerySingleAsync<(long Count, long? Sum)>(Cmd(
                $"SELECT COUNT(*), CAST(SUM(amount_msat + fee_reserve_msat) AS BIGINT) FROM withdrawals WHERE state IN {HoldingStates}", null, null, ct))
                .ConfigureAwait(false);
            return new Liabilities(cards.Count, new Msat(cards.Sum ?? 0), new Msat(held.Sum ?? 0), held.Count);
        }, ct);

    /// <summary>Taps (offers made) and finished withdrawals per hour since <paramref name="since"/>, oldest first; hours without any are left out.</summary>
    public Task<IReadOnlyList<ActivityHour>> GetActivityAsync(DateTimeOffset since, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<ActivityHour>>(async c =>
        {
            var from = since.ToUnixTimeMilliseconds();
            var taps = await c.QueryAsync<(long Hour, long Count)>(Cmd(
                "SELECT created_at / 3600000 AS hour, COUNT(*) FROM k1_sessions WHERE created_at >= @from GROUP BY created_at / 3600000",
                new { from }, null, ct)).ConfigureAwait(false);
            var outcomes = await c.QueryAsync<(long Hour, string State, long Count)>(Cmd(
                "SELECT finished_at / 3600000 AS hour, state, COUNT(*) FROM withdrawals " +
                "WHERE finished_at IS NOT NULL AND finished_at >= @from GROUP BY finished_at / 3600000, state",
                new { from }, null, ct)).ConfigureAwait(false);
            var hours = new SortedDictionary<long, (long Taps, long Ok, long Failed)>();
            foreach (var (hour, count) in taps)
                hours[hour] = hours.GetValueOrDefault(hour) with { Taps = count };
            foreach (var (hour, state, count) in outcomes)
            {
                var h = hours.GetValueOrDefault(hour);
                hours[hour] = state == nameof(WithdrawalState.Succeeded) ? h with { Ok = h.Ok + count } : h with { Failed = h.Failed + count };
            }
            return hours.Select(kv => new ActivityHour(DateTimeOffset.FromUnixTimeMilliseconds(kv.Key * 3_600_000), kv.Value.Taps,
                kv.Value.Ok, kv.Value.Failed)).ToList();
        }, ct);

    /// <summary>
    /// A verified tap used only to look (the holder's balance page): the card's counter moves up to
    /// <paramref name="counter"/> as a payment's would, so the same tap cannot be shown again or paid
    /// with afterwards. False when the counter is not above the last one used (a replay).
    /// </summary>
    public Task<bool> ConsumeCounterAsync(string cardId, long counter, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var changed = await c.ExecuteAsync(Cmd(
                "UPDATE cards SET counter = @counter, updated_at = @now WHERE id = @cardId AND counter < @counter",
                new { cardId, counter, now = NowMs() }, tx, ct)).ConfigureAwait(false);
            return (changed == 1, changed == 1);
        }, ct);

    /// <summary>The strategy the card's next withdrawals get, or null when there is no such card.</summary>
    public Task<PaymentPolicy?> GetCardPaymentPolicyAsync(string cardId, CancellationToken ct = default) =>
        ReadAsync(async c => await c.ExecuteScalarAsync<string?>(Cmd(
            "SELECT payment_policy FROM cards WHERE id = @cardId", new { cardId }, null, ct)).ConfigureAwait(false) is { } name
            && Enum.TryParse<PaymentPolicy>(name, out var policy) ? policy : (PaymentPolicy?)null, ct);

    private sealed class ConsoleUserRow
    {
        public const string Columns = "name, password_hash, role, failed_signins, locked_until, created_at, updated_at";

        public string Name { get; set; } = "";
        public string PasswordHash { get; set; } = "";
        public string Role { get; set; } = "";
        public long FailedSignins { get; set; }
        public long? LockedUntil { get; set; }
        public long CreatedAt { get; set; }
        public long UpdatedAt { get; set; }

        public ConsoleUser ToUser() => new(Name, PasswordHash, Role, (int)FailedSignins,
            LockedUntil is { } l ? DateTimeOffset.FromUnixTimeMilliseconds(l) : null,
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
    }
}
