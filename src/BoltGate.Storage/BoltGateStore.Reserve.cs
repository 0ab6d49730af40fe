using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Withdrawals;
using Dapper;

namespace BoltGate.Storage;

public sealed partial class BoltGateStore
{
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
            var now = Codes.Ms(nowTime);
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

            var day = Codes.Day(nowTime);
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
                    deadline = Codes.Ms(request.Deadline), now,
                }, tx, ct)).ConfigureAwait(false);
            if (inserted == 0)
                return Reject(ReserveRejection.InvoiceAlreadyUsed);

            await AppendLedgerAsync(c, tx, card.Id, LedgerKind.Reservation, new Msat(-total), id, null, now, ct).ConfigureAwait(false);
            var withdrawal = await GetWithdrawalAsync(c, tx, id, forUpdate: false, ct).ConfigureAwait(false);
            return (new ReserveResult.Reserved(withdrawal!.ToWithdrawal()), true);
        }, ct);
    }
}
