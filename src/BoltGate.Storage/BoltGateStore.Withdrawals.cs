using System.Data.Common;
using BoltGate.Core.Payments;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Payments;
using BoltGate.Storage.Withdrawals;
using Dapper;

namespace BoltGate.Storage;

/// <summary>Withdrawals: the callback's reserving transaction, look-ups, and each withdrawal's payment plan.</summary>
public sealed partial class BoltGateStore
{
    // Inlined as literals: Dapper expands list parameters for SQLite but sends arrays to Npgsql.
    internal const string HoldingStates = "('Reserved', 'Sending', 'InFlight')";

    /// <summary>
    /// The callback's single transaction: consume the k1 and the tap counter, take amount + fee reserve
    /// from the balance and the amount from the day's limit, and write the withdrawal (state Reserved)
    /// and its ledger entry. Either all of it commits or nothing does. The rows are locked (PostgreSQL)
    /// or the database is (SQLite) before anything is checked, and every update is conditional as well,
    /// so concurrent callbacks on one card can never overdraw it.
    /// </summary>
    public Task<ReserveResult> ReserveAsync(ReserveRequest request, CancellationToken ct = default) =>
        ReserveCoreAsync(request, sending: null, ct);

    /// <summary>
    /// <see cref="ReserveAsync"/> for a callback that pays at once: the same transaction writes the withdrawal
    /// already Sending (first attempt counted, its deadline, <paramref name="lease"/>'s owner holding the lease),
    /// so the intent to pay is committed with the reservation and the drive can call the node next.
    /// </summary>
    public Task<ReserveResult> ReserveSendingAsync(ReserveRequest request, SendingLease lease, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentException.ThrowIfNullOrEmpty(lease.Owner);
        return ReserveCoreAsync(request, lease, ct);
    }

    // Three round trips on PostgreSQL (BEGIN goes with the first statement): the locking read of session and
    // card, one batch of conditional writes whose RETURNING says which applied, and the commit.
    private Task<ReserveResult> ReserveCoreAsync(ReserveRequest request, SendingLease? sending, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Amount.IsPositive)
            throw new ArgumentOutOfRangeException(nameof(request), request.Amount, "The amount must be positive.");
        if (request.FeeReserve.IsNegative)
            throw new ArgumentOutOfRangeException(nameof(request), request.FeeReserve, "The fee reserve cannot be negative.");

        return WriteAsync<ReserveResult>(async (c, tx) =>
        {
            var nowTime = _time.GetUtcNow();
            var now = ColumnValues.Ms(nowTime);
            static (ReserveResult, bool) Reject(ReserveRejection reason) => (new ReserveResult.Rejected(reason), false);

            var found = await c.QuerySingleOrDefaultAsync<ReserveRow>(Cmd(
                $"SELECT {ReserveRow.Columns} FROM k1_sessions s JOIN cards c ON c.id = s.card_id WHERE s.k1 = @K1{_engine.ForUpdate}",
                new { request.K1 }, tx, ct)).ConfigureAwait(false);
            if (found is null)
            {
                var known = await c.ExecuteScalarAsync<long?>(Cmd("SELECT 1 FROM k1_sessions WHERE k1 = @K1", new { request.K1 }, tx, ct))
                    .ConfigureAwait(false);
                return Reject(known is null ? ReserveRejection.K1Unknown : ReserveRejection.CardNotFound);
            }
            if (found.ConsumedAt is not null)
                return Reject(ReserveRejection.K1Used);
            if (now >= found.ExpiresAt)
                return Reject(ReserveRejection.K1Expired);
            if (found.Enabled == 0)
                return Reject(ReserveRejection.CardDisabled);
            if (found.Locked != 0)
                return Reject(ReserveRejection.CardLocked);
            if (found.Counter <= found.CardCounter)
                return Reject(ReserveRejection.Replay);
            var amount = request.Amount.Value;
            if (found.PerTapLimitMsat is { } perTap && amount > perTap)
                return Reject(ReserveRejection.LimitPerTap);
            var total = (request.Amount + request.FeeReserve).Value;
            if (found.BalanceMsat < total)
                return Reject(ReserveRejection.InsufficientFunds);

            var id = NewId();
            var day = ColumnValues.Day(nowTime);
            // Every statement is conditional and says by its RETURNING whether it applied; a refusal rolls all back.
            var sql =
                "INSERT INTO daily_usage (card_id, day, used_msat) VALUES (@cardId, @day, 0) ON CONFLICT DO NOTHING RETURNING 1;\n" +
                "UPDATE daily_usage SET used_msat = used_msat + @amount WHERE card_id = @cardId AND day = @day" +
                (found.DailyLimitMsat is null ? "" : " AND used_msat + @amount <= @limit") + " RETURNING 1;\n" +
                "UPDATE k1_sessions SET consumed_at = @now WHERE k1 = @K1 AND consumed_at IS NULL AND expires_at > @now RETURNING 1;\n" +
                "UPDATE cards SET counter = @counter, balance_msat = balance_msat - @total, updated_at = @now " +
                "WHERE id = @cardId AND counter < @counter AND balance_msat >= @total AND enabled = 1 AND locked = 0 RETURNING 1;\n" +
                "INSERT INTO withdrawals (id, card_id, k1, bolt11, payment_hash, amount_msat, fee_reserve_msat, state, usage_day, " +
                "deadline, attempts, sending_at, lease_owner, lease_until, reserved_at, updated_at) VALUES (@id, @cardId, @K1, @Bolt11, " +
                "@hash, @amount, @reserve, @state, @day, @deadline, @attempts, @sendingAt, @owner, @until, @now, @now) " +
                $"ON CONFLICT DO NOTHING RETURNING {WithdrawalRow.Columns};\n" +
                "INSERT INTO ledger (card_id, kind, amount_msat, withdrawal_id, note, created_at) " +
                "SELECT @cardId, @kind, @debit, @id, NULL, @now WHERE EXISTS (SELECT 1 FROM withdrawals WHERE id = @id) RETURNING 1";
            using var results = await c.QueryMultipleAsync(Cmd(sql, new
            {
                id,
                cardId = found.CardId,
                day,
                amount,
                limit = found.DailyLimitMsat ?? 0,
                request.K1,
                now,
                counter = found.Counter,
                total,
                request.Bolt11,
                hash = request.PaymentHash.ToHex(),
                reserve = request.FeeReserve.Value,
                state = (sending is null ? WithdrawalState.Reserved : WithdrawalState.Sending).ToString(),
                deadline = ColumnValues.Ms(request.Deadline),
                attempts = sending is null ? 0L : 1L,
                sendingAt = sending is null ? (long?)null : now,
                owner = sending?.Owner,
                until = sending is null ? (long?)null : now + (long)sending.LeaseFor.TotalMilliseconds,
                kind = ColumnValues.LedgerKind(LedgerKind.Reservation),
                debit = -total,
            }, tx, ct)).ConfigureAwait(false);
            _ = await results.ReadAsync<long>().ConfigureAwait(false); // the day's row exists now
            var usage = (await results.ReadAsync<long>().ConfigureAwait(false)).Any();
            var consumed = (await results.ReadAsync<long>().ConfigureAwait(false)).Any();
            var debited = (await results.ReadAsync<long>().ConfigureAwait(false)).Any();
            var withdrawal = (await results.ReadAsync<WithdrawalRow>().ConfigureAwait(false)).SingleOrDefault();
            _ = await results.ReadAsync<long>().ConfigureAwait(false);
            if (!usage)
                return Reject(ReserveRejection.LimitDaily);
            if (!consumed)
                return Reject(ReserveRejection.K1Used);
            if (!debited)
                return Reject(ReserveRejection.InsufficientFunds);
            if (withdrawal is null)
                return Reject(ReserveRejection.InvoiceAlreadyUsed);
            return (new ReserveResult.Reserved(withdrawal.ToWithdrawal()) { Policy = Enum.Parse<PaymentPolicy>(found.PaymentPolicy) }, true);
        }, ct);
    }

    public Task<Withdrawal?> GetWithdrawalAsync(string id, CancellationToken ct = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<WithdrawalRow>(Cmd(
            $"SELECT {WithdrawalRow.Columns} FROM withdrawals WHERE id = @id", new { id }, null, ct)).ConfigureAwait(false))?.ToWithdrawal(), ct);

    /// <summary>A card's withdrawals, newest first.</summary>
    public Task<IReadOnlyList<Withdrawal>> ListWithdrawalsAsync(string cardId, int limit = 100, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<Withdrawal>>(async c => (await c.QueryAsync<WithdrawalRow>(Cmd(
            $"SELECT {WithdrawalRow.Columns} FROM withdrawals WHERE card_id = @cardId ORDER BY reserved_at DESC, id DESC LIMIT @limit",
            new { cardId, limit = (long)limit }, null, ct)).ConfigureAwait(false)).Select(r => r.ToWithdrawal()).ToList(), ct);

    /// <summary>The withdrawal's effective policy and next attempt time, or null when it does not exist.</summary>
    public Task<PaymentPlan?> GetPaymentPlanAsync(string id, CancellationToken ct = default) =>
        ReadAsync(async c =>
        {
            var row = await c.QuerySingleOrDefaultAsync<PlanRow>(Cmd(
                "SELECT COALESCE(w.payment_policy, c.payment_policy) AS policy, w.next_attempt_at AS next_attempt_at " +
                "FROM withdrawals w JOIN cards c ON c.id = w.card_id WHERE w.id = @id", new { id }, null, ct)).ConfigureAwait(false);
            return row is null ? null : new PaymentPlan(Enum.Parse<PaymentPolicy>(row.Policy), ColumnValues.Time(row.NextAttemptAt));
        }, ct);

    /// <summary>
    /// Overrides the strategy of one withdrawal that has not been sent yet (null: the card's again), e.g. to
    /// flag it as an operator payout. False when it does not exist or is no longer Reserved.
    /// </summary>
    public Task<bool> SetWithdrawalPaymentPolicyAsync(string id, PaymentPolicy? policy, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var n = await c.ExecuteAsync(Cmd(
                "UPDATE withdrawals SET payment_policy = @policy, updated_at = @now WHERE id = @id AND state = 'Reserved'",
                new { id, policy = policy?.ToString(), now = NowMs() }, tx, ct)).ConfigureAwait(false);
            return (n == 1, n == 1);
        }, ct);

    private async Task<WithdrawalRow?> GetWithdrawalAsync(DbConnection c, DbTransaction tx, string id, bool forUpdate, CancellationToken ct) =>
        await c.QuerySingleOrDefaultAsync<WithdrawalRow>(Cmd(
            $"SELECT {WithdrawalRow.Columns} FROM withdrawals WHERE id = @id{(forUpdate ? _engine.ForUpdate : "")}", new { id }, tx, ct))
            .ConfigureAwait(false);

    /// <summary>The reserving transaction's locking read: the session and its card in one row.</summary>
    private sealed class ReserveRow
    {
        public const string Columns =
            "s.card_id, s.counter, s.expires_at, s.consumed_at, c.counter AS card_counter, c.balance_msat, c.per_tap_limit_msat, " +
            "c.daily_limit_msat, c.enabled, c.locked, c.payment_policy";

        public string CardId { get; set; } = "";
        public long Counter { get; set; }
        public long ExpiresAt { get; set; }
        public long? ConsumedAt { get; set; }
        public long CardCounter { get; set; }
        public long BalanceMsat { get; set; }
        public long? PerTapLimitMsat { get; set; }
        public long? DailyLimitMsat { get; set; }
        public long Enabled { get; set; }
        public long Locked { get; set; }
        public string PaymentPolicy { get; set; } = nameof(Withdrawals.PaymentPolicy.FastFail);
    }

    private sealed class PlanRow
    {
        public string Policy { get; set; } = "";
        public long? NextAttemptAt { get; set; }
    }
}
