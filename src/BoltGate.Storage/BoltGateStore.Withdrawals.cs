using System.Data.Common;
using System.Text.Json.Nodes;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Outbox;
using BoltGate.Storage.Withdrawals;
using Dapper;

namespace BoltGate.Storage;

public sealed partial class BoltGateStore
{
    // Inlined as literals: Dapper expands list parameters for SQLite but sends arrays to Npgsql.
    private const string HoldingStates = "('Reserved', 'Sending', 'InFlight')";

    public Task<Withdrawal?> GetWithdrawalAsync(string id, CancellationToken ct = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<WithdrawalRow>(Cmd(
            $"SELECT {WithdrawalRow.Columns} FROM withdrawals WHERE id = @id", new { id }, null, ct)).ConfigureAwait(false))?.ToWithdrawal(), ct);

    public Task<Withdrawal?> FindWithdrawalByPaymentHashAsync(Bytes32 paymentHash, CancellationToken ct = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<WithdrawalRow>(Cmd(
            $"SELECT {WithdrawalRow.Columns} FROM withdrawals WHERE payment_hash = @hash", new { hash = paymentHash.ToHex() }, null, ct))
            .ConfigureAwait(false))?.ToWithdrawal(), ct);

    /// <summary>A card's withdrawals, newest first.</summary>
    public Task<IReadOnlyList<Withdrawal>> ListWithdrawalsAsync(string cardId, int limit = 100, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<Withdrawal>>(async c => (await c.QueryAsync<WithdrawalRow>(Cmd(
            $"SELECT {WithdrawalRow.Columns} FROM withdrawals WHERE card_id = @cardId ORDER BY reserved_at DESC, id DESC LIMIT @limit",
            new { cardId, limit = (long)limit }, null, ct)).ConfigureAwait(false)).Select(r => r.ToWithdrawal()).ToList(), ct);

    /// <summary>Withdrawals still holding a reservation (Reserved, Sending, InFlight): the reconciler's work list.</summary>
    public Task<IReadOnlyList<Withdrawal>> ListUnfinishedAsync(int limit = 1000, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<Withdrawal>>(async c => (await c.QueryAsync<WithdrawalRow>(Cmd(
            $"SELECT {WithdrawalRow.Columns} FROM withdrawals WHERE state IN {HoldingStates} ORDER BY reserved_at, id LIMIT @limit",
            new { limit = (long)limit }, null, ct)).ConfigureAwait(false)).Select(r => r.ToWithdrawal()).ToList(), ct);

    /// <summary>
    /// Claims up to <paramref name="limit"/> unfinished withdrawals whose lease is free or lapsed, for
    /// <paramref name="leaseFor"/>. Two instances never hold the same row at once (the lease condition is
    /// re-checked by the update; PostgreSQL also skips rows another claimer has locked).
    /// </summary>
    public Task<IReadOnlyList<Withdrawal>> ClaimUnfinishedAsync(string owner, TimeSpan leaseFor, int limit, CancellationToken ct = default) =>
        WriteAsync<IReadOnlyList<Withdrawal>>(async (c, tx) =>
        {
            var now = NowMs();
            var rows = await c.QueryAsync<WithdrawalRow>(Cmd(
                "UPDATE withdrawals SET lease_owner = @owner, lease_until = @until " +
                $"WHERE id IN (SELECT id FROM withdrawals WHERE state IN {HoldingStates} AND (lease_until IS NULL OR lease_until <= @now) " +
                $"ORDER BY reserved_at, id LIMIT @limit{_engine.ForUpdateSkipLocked}) " +
                $"AND state IN {HoldingStates} AND (lease_until IS NULL OR lease_until <= @now) RETURNING {WithdrawalRow.Columns}",
                new { owner, until = now + (long)leaseFor.TotalMilliseconds, now, limit = (long)limit }, tx, ct)).ConfigureAwait(false);
            return (rows.Select(r => r.ToWithdrawal()).OrderBy(w => w.ReservedAt).ToList(), true);
        }, ct);

    /// <summary>Gives a claimed row back before its lease ends; only the owner can.</summary>
    public Task<bool> ReleaseLeaseAsync(string id, string owner, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var n = await c.ExecuteAsync(Cmd(
                "UPDATE withdrawals SET lease_owner = NULL, lease_until = NULL WHERE id = @id AND lease_owner = @owner",
                new { id, owner }, tx, ct)).ConfigureAwait(false);
            return (n == 1, n == 1);
        }, ct);

    /// <summary>Reserved → Sending, counting the attempt. Call it (and let it commit) before calling the node.</summary>
    public Task<TransitionResult> MarkSendingAsync(string id, CancellationToken ct = default) =>
        TransitionAsync(id, [WithdrawalState.Reserved], WithdrawalState.Sending,
            "sending_at = @now, attempts = attempts + 1", null, null, ct);

    /// <summary>Sending → InFlight: the outcome is unknown, funds stay reserved, the reconciler tracks it.</summary>
    public Task<TransitionResult> MarkInFlightAsync(string id, string reason, CancellationToken ct = default) =>
        TransitionAsync(id, [WithdrawalState.Sending], WithdrawalState.InFlight,
            "in_flight_at = @now, node_message = @message", new { message = reason },
            (c, tx, w, now) => AppendEventAsync(c, tx, OutboxEventTypes.WithdrawalPending, w.Id,
                WithdrawalPayload(w, new JsonObject { ["reason"] = reason }), now, ct), ct);

    /// <summary>Sending/InFlight → Reserved for another attempt (GradedRetry), keeping the last failure for the operator.</summary>
    public Task<TransitionResult> RequeueAsync(string id, FailureKind lastFailure, string nodeMessage, CancellationToken ct = default) =>
        TransitionAsync(id, [WithdrawalState.Sending, WithdrawalState.InFlight], WithdrawalState.Reserved,
            "failure_code = @code, node_message = @message", new { code = lastFailure.Code(), message = nodeMessage }, null, ct);

    /// <summary>
    /// Sending/InFlight → Succeeded in one transaction with the settlement: the actual fee is recorded and
    /// the unused part of the fee reserve goes back to the balance. The card is charged at most the
    /// reserve; a node fee above it (which the fee cap should prevent) is the operator's. With
    /// <see cref="FeePayer.Operator"/> the card is charged no fee and the whole reserve goes back.
    /// </summary>
    public Task<TransitionResult> SettleAsync(string id, Bytes32 preimage, Msat fee, CancellationToken ct = default) =>
        SettleAsync(id, preimage, fee, FeePayer.Card, ct);

    /// <inheritdoc cref="SettleAsync(string, Bytes32, Msat, CancellationToken)"/>
    public Task<TransitionResult> SettleAsync(string id, Bytes32 preimage, Msat fee, FeePayer payer, CancellationToken ct = default)
    {
        if (fee.IsNegative)
            throw new ArgumentOutOfRangeException(nameof(fee), fee, "A fee cannot be negative.");
        return TransitionAsync(id, [WithdrawalState.Sending, WithdrawalState.InFlight], WithdrawalState.Succeeded,
            "fee_msat = @fee, preimage = @preimage, finished_at = @now, lease_owner = NULL, lease_until = NULL, failure_code = NULL",
            new { fee = fee.Value, preimage = preimage.ToHex() },
            async (c, tx, w, now) =>
            {
                var charged = payer == FeePayer.Operator ? Msat.Zero : Msat.Min(fee, new Msat(w.FeeReserveMsat));
                var release = new Msat(w.FeeReserveMsat) - charged;
                await CreditBalanceAsync(c, tx, w.CardId, release, now, ct).ConfigureAwait(false);
                await AppendLedgerAsync(c, tx, w.CardId, LedgerKind.FeeRelease, release, w.Id,
                    $"paid {w.AmountMsat} msat, fee {fee.Value} msat, card charged {charged.Value} msat", now, ct).ConfigureAwait(false);
                await AppendEventAsync(c, tx, OutboxEventTypes.WithdrawalSucceeded, w.Id, WithdrawalPayload(w, new JsonObject
                {
                    ["fee_msat"] = fee.Value, ["fee_charged_msat"] = charged.Value,
                }), now, ct).ConfigureAwait(false);
            }, ct);
    }

    /// <summary>
    /// Reserved/Sending/InFlight → Failed in one transaction with the refund of amount + fee reserve and
    /// the release of the amount from the day's limit (a failed payment does not count toward it). Call
    /// it only on a definitive failure, or when the node provably never saw the payment.
    /// </summary>
    public Task<TransitionResult> FailAsync(string id, FailureKind kind, string nodeMessage, CancellationToken ct = default) =>
        FailFromAsync(id, [WithdrawalState.Reserved, WithdrawalState.Sending, WithdrawalState.InFlight], kind, nodeMessage, ct);

    /// <summary><see cref="FailAsync"/> that applies only while the withdrawal is in one of <paramref name="from"/>.</summary>
    private Task<TransitionResult> FailFromAsync(string id, WithdrawalState[] from, FailureKind kind, string nodeMessage, CancellationToken ct) =>
        TransitionAsync(id, from, WithdrawalState.Failed,
            "failure_code = @code, node_message = @message, finished_at = @now, lease_owner = NULL, lease_until = NULL",
            new { code = kind.Code(), message = nodeMessage },
            async (c, tx, w, now) =>
            {
                var refund = new Msat(w.AmountMsat + w.FeeReserveMsat);
                await CreditBalanceAsync(c, tx, w.CardId, refund, now, ct).ConfigureAwait(false);
                await AppendLedgerAsync(c, tx, w.CardId, LedgerKind.Refund, refund, w.Id, kind.Code(), now, ct).ConfigureAwait(false);
                await c.ExecuteAsync(Cmd(
                    "UPDATE daily_usage SET used_msat = CASE WHEN used_msat >= @amount THEN used_msat - @amount ELSE 0 END " +
                    "WHERE card_id = @cardId AND day = @day",
                    new { amount = w.AmountMsat, cardId = w.CardId, day = w.UsageDay }, tx, ct)).ConfigureAwait(false);
                await AppendEventAsync(c, tx, OutboxEventTypes.WithdrawalFailed, w.Id, WithdrawalPayload(w, new JsonObject
                {
                    ["failure_kind"] = kind.Code(), ["node_message"] = nodeMessage, ["refunded_msat"] = refund.Value,
                }), now, ct).ConfigureAwait(false);
            }, ct);

    private Task<TransitionResult> TransitionAsync(
        string id,
        WithdrawalState[] from,
        WithdrawalState to,
        string set,
        object? args,
        Func<DbConnection, DbTransaction, WithdrawalRow, long, Task>? alsoInSameTransaction,
        CancellationToken ct) =>
        WriteAsync<TransitionResult>(async (c, tx) =>
        {
            var row = await GetWithdrawalAsync(c, tx, id, forUpdate: true, ct).ConfigureAwait(false);
            if (row is null)
                return (new TransitionResult.NotFound(), false);
            var current = row.ParsedState;
            if (!from.Contains(current) || !WithdrawalStates.CanMove(current, to))
                return (new TransitionResult.WrongState(current), false);

            var now = NowMs();
            var parameters = new DynamicParameters(args);
            parameters.Add("id", id);
            parameters.Add("now", now);
            parameters.Add("expected", current.ToString());
            parameters.Add("to", to.ToString());
            var n = await c.ExecuteAsync(Cmd(
                $"UPDATE withdrawals SET state = @to, {set}, updated_at = @now WHERE id = @id AND state = @expected",
                parameters, tx, ct)).ConfigureAwait(false);
            if (n == 0)
                return (new TransitionResult.WrongState(current), false);
            if (alsoInSameTransaction is not null)
                await alsoInSameTransaction(c, tx, row, now).ConfigureAwait(false);
            var updated = await GetWithdrawalAsync(c, tx, id, forUpdate: false, ct).ConfigureAwait(false);
            return (new TransitionResult.Applied(updated!.ToWithdrawal()), true);
        }, ct, urgent: to.IsFinal());

    /// <summary>What every withdrawal event says, then <paramref name="more"/>.</summary>
    private static JsonObject WithdrawalPayload(WithdrawalRow w, JsonObject more)
    {
        var payload = new JsonObject
        {
            ["withdrawal_id"] = w.Id, ["card_id"] = w.CardId, ["amount_msat"] = w.AmountMsat, ["payment_hash"] = w.PaymentHash,
        };
        foreach (var (key, value) in more.ToList())
        {
            more.Remove(key);
            payload[key] = value;
        }
        return payload;
    }

    private async Task<WithdrawalRow?> GetWithdrawalAsync(DbConnection c, DbTransaction tx, string id, bool forUpdate, CancellationToken ct) =>
        await c.QuerySingleOrDefaultAsync<WithdrawalRow>(Cmd(
            $"SELECT {WithdrawalRow.Columns} FROM withdrawals WHERE id = @id{(forUpdate ? _engine.ForUpdate : "")}", new { id }, tx, ct))
            .ConfigureAwait(false);

    private static async Task CreditBalanceAsync(DbConnection c, DbTransaction tx, string cardId, Msat amount, long now, CancellationToken ct)
    {
        if (amount.IsZero)
            return;
        await c.ExecuteAsync(Cmd("UPDATE cards SET balance_msat = balance_msat + @amount, updated_at = @now WHERE id = @cardId",
            new { cardId, amount = amount.Value, now }, tx, ct)).ConfigureAwait(false);
    }
}
