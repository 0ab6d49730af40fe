using System.Data.Common;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
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
    public Task<ReserveResult> ReserveAsync(ReserveRequest request, CancellationToken ct = default)
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

            var session = await c.QuerySingleOrDefaultAsync<SessionRow>(Cmd(
                $"SELECT {SessionRow.Columns} FROM k1_sessions WHERE k1 = @K1{_engine.ForUpdate}", new { request.K1 }, tx, ct)).ConfigureAwait(false);
            if (session is null)
                return Reject(ReserveRejection.K1Unknown);
            if (session.ConsumedAt is not null)
                return Reject(ReserveRejection.K1Used);
            if (now >= session.ExpiresAt)
                return Reject(ReserveRejection.K1Expired);

            var card = await c.QuerySingleOrDefaultAsync<CardRow>(Cmd(
                $"SELECT {CardRow.Columns} FROM cards WHERE id = @id{_engine.ForUpdate}", new { id = session.CardId }, tx, ct)).ConfigureAwait(false);
            if (card is null)
                return Reject(ReserveRejection.CardNotFound);
            if (card.Enabled == 0)
                return Reject(ReserveRejection.CardDisabled);
            if (card.Locked != 0)
                return Reject(ReserveRejection.CardLocked);
            if (session.Counter <= card.Counter)
                return Reject(ReserveRejection.Replay);
            var amount = request.Amount.Value;
            if (card.PerTapLimitMsat is { } perTap && amount > perTap)
                return Reject(ReserveRejection.LimitPerTap);
            var total = (request.Amount + request.FeeReserve).Value;
            if (card.BalanceMsat < total)
                return Reject(ReserveRejection.InsufficientFunds);

            var day = ColumnValues.Day(nowTime);
            await c.ExecuteAsync(Cmd(
                "INSERT INTO daily_usage (card_id, day, used_msat) VALUES (@cardId, @day, 0) ON CONFLICT DO NOTHING",
                new { cardId = card.Id, day }, tx, ct)).ConfigureAwait(false);
            var usageUpdated = await c.ExecuteAsync(Cmd(
                "UPDATE daily_usage SET used_msat = used_msat + @amount WHERE card_id = @cardId AND day = @day" +
                (card.DailyLimitMsat is null ? "" : " AND used_msat + @amount <= @limit"),
                new { cardId = card.Id, day, amount, limit = card.DailyLimitMsat ?? 0 }, tx, ct)).ConfigureAwait(false);
            if (usageUpdated == 0)
                return Reject(ReserveRejection.LimitDaily);

            var consumed = await c.ExecuteAsync(Cmd(
                "UPDATE k1_sessions SET consumed_at = @now WHERE k1 = @K1 AND consumed_at IS NULL AND expires_at > @now",
                new { request.K1, now }, tx, ct)).ConfigureAwait(false);
            if (consumed == 0)
                return Reject(ReserveRejection.K1Used);

            var debited = await c.ExecuteAsync(Cmd(
                "UPDATE cards SET counter = @counter, balance_msat = balance_msat - @total, updated_at = @now " +
                "WHERE id = @id AND counter < @counter AND balance_msat >= @total AND enabled = 1 AND locked = 0",
                new { id = card.Id, counter = session.Counter, total, now }, tx, ct)).ConfigureAwait(false);
            if (debited == 0)
                return Reject(ReserveRejection.InsufficientFunds);

            var id = NewId();
            var inserted = await c.ExecuteAsync(Cmd(
                "INSERT INTO withdrawals (id, card_id, k1, bolt11, payment_hash, amount_msat, fee_reserve_msat, state, usage_day, " +
                "deadline, reserved_at, updated_at) VALUES (@id, @cardId, @K1, @Bolt11, @hash, @amount, @reserve, @state, @day, " +
                "@deadline, @now, @now) ON CONFLICT DO NOTHING",
                new
                {
                    id, cardId = card.Id, request.K1, request.Bolt11, hash = request.PaymentHash.ToHex(), amount,
                    reserve = request.FeeReserve.Value, state = nameof(WithdrawalState.Reserved), day,
                    deadline = ColumnValues.Ms(request.Deadline), now,
                }, tx, ct)).ConfigureAwait(false);
            if (inserted == 0)
                return Reject(ReserveRejection.InvoiceAlreadyUsed);

            await AppendLedgerAsync(c, tx, card.Id, LedgerKind.Reservation, new Msat(-total), id, null, now, ct).ConfigureAwait(false);
            var withdrawal = await GetWithdrawalAsync(c, tx, id, forUpdate: false, ct).ConfigureAwait(false);
            return (new ReserveResult.Reserved(withdrawal!.ToWithdrawal()), true);
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

    private sealed class PlanRow
    {
        public string Policy { get; set; } = "";
        public long? NextAttemptAt { get; set; }
    }
}
