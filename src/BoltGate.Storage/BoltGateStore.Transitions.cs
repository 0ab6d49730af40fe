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

/// <summary>
/// A withdrawal's moves through its state machine (DESIGN.md): each is one conditional transaction that also
/// moves the money (settlement, refund) and writes its outbox event, or changes nothing.
/// </summary>
public sealed partial class BoltGateStore
{
    /// <summary>
    /// Reserved → Sending for an attempt with its own deadline (a retry gets a fresh window), counting the
    /// attempt and clearing the retry time, and setting <paramref name="owner"/>'s lease for
    /// <paramref name="leaseFor"/> in the same transaction. Commit it before calling the node.
    /// </summary>
    public Task<TransitionResult> MarkSendingAsync(string id, DateTimeOffset deadline, string owner, TimeSpan leaseFor, CancellationToken ct = default) =>
        TransitionAsync(id, [WithdrawalState.Reserved], WithdrawalState.Sending,
            "sending_at = @now, attempts = attempts + 1, deadline = @deadline, next_attempt_at = NULL, " +
            "lease_owner = @owner, lease_until = @now + @leaseMs",
            new { deadline = ColumnValues.Ms(deadline), owner, leaseMs = (long)leaseFor.TotalMilliseconds }, null, ct);

    /// <summary>Sending → InFlight: the outcome is unknown, funds stay reserved, the reconciler tracks it.</summary>
    public Task<TransitionResult> MarkInFlightAsync(string id, string reason, CancellationToken ct = default) =>
        TransitionAsync(id, [WithdrawalState.Sending], WithdrawalState.InFlight,
            "in_flight_at = @now, node_message = @message", new { message = reason },
            (c, tx, w, now) => AppendEventAsync(c, tx, OutboxEventTypes.WithdrawalPending, w.Id,
                WithdrawalPayload(w, new JsonObject { ["reason"] = reason }), now, ct), ct);

    /// <summary>
    /// Sending/InFlight → Reserved with the next attempt due at <paramref name="at"/> (GradedRetry); keeps the
    /// failure for the operator and frees the lease so whichever instance is free then makes the attempt.
    /// </summary>
    public Task<TransitionResult> ScheduleRetryAsync(string id, FailureKind lastFailure, string nodeMessage, DateTimeOffset at, CancellationToken ct = default) =>
        TransitionAsync(id, [WithdrawalState.Sending, WithdrawalState.InFlight], WithdrawalState.Reserved,
            "failure_code = @code, node_message = @message, next_attempt_at = @at, lease_owner = NULL, lease_until = NULL",
            new { code = lastFailure.Code(), message = nodeMessage, at = ColumnValues.Ms(at) }, null, ct);

    /// <summary>
    /// Sending/InFlight → Succeeded in one transaction with the settlement: the actual fee is recorded and
    /// the unused part of the fee reserve goes back to the balance. The card is charged at most the
    /// reserve; a node fee above it (which the fee cap should prevent) is the operator's. With
    /// <see cref="FeePayer.Operator"/> the card is charged no fee and the whole reserve goes back.
    /// </summary>
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
                    ["fee_msat"] = fee.Value,
                    ["fee_charged_msat"] = charged.Value,
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

    /// <summary>
    /// Operator cancel: Reserved → Failed (CANCELED) with the refund, and only from Reserved — a withdrawal
    /// the node may be paying (Sending, InFlight) is never canceled. If an engine marks it Sending first,
    /// this sees the wrong state and changes nothing; if this wins, the engine's Sending does not apply.
    /// </summary>
    public Task<TransitionResult> CancelReservedAsync(string id, string reason, CancellationToken ct = default) =>
        FailFromAsync(id, [WithdrawalState.Reserved], FailureKind.Canceled, reason, ct);

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
                    ["failure_kind"] = kind.Code(),
                    ["node_message"] = nodeMessage,
                    ["refunded_msat"] = refund.Value,
                }), now, ct).ConfigureAwait(false);
            }, ct);

    internal Task<TransitionResult> TransitionAsync(
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
            ["withdrawal_id"] = w.Id,
            ["card_id"] = w.CardId,
            ["amount_msat"] = w.AmountMsat,
            ["payment_hash"] = w.PaymentHash,
        };
        foreach (var (key, value) in more.ToList())
        {
            more.Remove(key);
            payload[key] = value;
        }
        return payload;
    }
}
