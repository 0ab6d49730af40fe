using BoltGate.Core.Payments;
using BoltGate.Storage.Payments;
using BoltGate.Storage.Withdrawals;
using Dapper;

namespace BoltGate.Storage;

/// <summary>What the payment engine and the reconciler need beyond the withdrawal transitions (schema v2).</summary>
public sealed partial class BoltGateStore
{
    /// <summary>Sets the strategy for the card's future withdrawals. False when the card does not exist.</summary>
    public Task<bool> SetCardPaymentPolicyAsync(string cardId, PaymentPolicy policy, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var n = await c.ExecuteAsync(Cmd("UPDATE cards SET payment_policy = @policy, updated_at = @now WHERE id = @cardId",
                new { cardId, policy = policy.ToString(), now = NowMs() }, tx, ct)).ConfigureAwait(false);
            return (n == 1, n == 1);
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

    /// <summary>The withdrawal's effective policy and next attempt time, or null when it does not exist.</summary>
    public Task<PaymentPlan?> GetPaymentPlanAsync(string id, CancellationToken ct = default) =>
        ReadAsync(async c =>
        {
            var row = await c.QuerySingleOrDefaultAsync<PlanRow>(Cmd(
                "SELECT COALESCE(w.payment_policy, c.payment_policy) AS policy, w.next_attempt_at AS next_attempt_at " +
                "FROM withdrawals w JOIN cards c ON c.id = w.card_id WHERE w.id = @id", new { id }, null, ct)).ConfigureAwait(false);
            return row is null ? null : new PaymentPlan(Enum.Parse<PaymentPolicy>(row.Policy), Codes.Time(row.NextAttemptAt));
        }, ct);

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

    /// <summary>
    /// The reconciler's claim: like <see cref="ClaimUnfinishedAsync"/>, but leaves alone what is not due —
    /// a withdrawal waiting for its retry time, and one reserved less than <paramref name="freshFor"/> ago
    /// and never sent (the callback that reserved it is about to take it).
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
                    owner, until = now + (long)leaseFor.TotalMilliseconds, now, limit = (long)limit,
                    freshSince = now - (long)freshFor.TotalMilliseconds,
                }, tx, ct)).ConfigureAwait(false);
            return (rows.Select(r => r.ToWithdrawal()).OrderBy(w => w.ReservedAt).ToList(), true);
        }, ct);

    /// <summary>
    /// Reserved → Sending for an attempt with its own deadline (a retry gets a fresh window), counting the
    /// attempt and clearing the retry time. Commit it before calling the node.
    /// </summary>
    public Task<TransitionResult> MarkSendingAsync(string id, DateTimeOffset deadline, CancellationToken ct = default) =>
        TransitionAsync(id, [WithdrawalState.Reserved], WithdrawalState.Sending,
            "sending_at = @now, attempts = attempts + 1, deadline = @deadline, next_attempt_at = NULL",
            new { deadline = Codes.Ms(deadline) }, null, ct);

    /// <summary>
    /// <see cref="MarkSendingAsync(string, DateTimeOffset, CancellationToken)"/> that also sets
    /// <paramref name="owner"/>'s lease for <paramref name="leaseFor"/> in the same transaction (one write
    /// fewer on the payment path).
    /// </summary>
    public Task<TransitionResult> MarkSendingAsync(string id, DateTimeOffset deadline, string owner, TimeSpan leaseFor, CancellationToken ct = default) =>
        TransitionAsync(id, [WithdrawalState.Reserved], WithdrawalState.Sending,
            "sending_at = @now, attempts = attempts + 1, deadline = @deadline, next_attempt_at = NULL, " +
            "lease_owner = @owner, lease_until = @now + @leaseMs",
            new { deadline = Codes.Ms(deadline), owner, leaseMs = (long)leaseFor.TotalMilliseconds }, null, ct);

    /// <summary>
    /// Sending/InFlight → Reserved with the next attempt due at <paramref name="at"/> (GradedRetry); keeps the
    /// failure for the operator and frees the lease so whichever instance is free then makes the attempt.
    /// </summary>
    public Task<TransitionResult> ScheduleRetryAsync(string id, FailureKind lastFailure, string nodeMessage, DateTimeOffset at, CancellationToken ct = default) =>
        TransitionAsync(id, [WithdrawalState.Sending, WithdrawalState.InFlight], WithdrawalState.Reserved,
            "failure_code = @code, node_message = @message, next_attempt_at = @at, lease_owner = NULL, lease_until = NULL",
            new { code = lastFailure.Code(), message = nodeMessage, at = Codes.Ms(at) }, null, ct);

    /// <summary>
    /// Operator cancel: Reserved → Failed (CANCELED) with the refund, and only from Reserved — a withdrawal
    /// the node may be paying (Sending, InFlight) is never canceled. If an engine marks it Sending first,
    /// this sees the wrong state and changes nothing; if this wins, the engine's Sending does not apply.
    /// </summary>
    public Task<TransitionResult> CancelReservedAsync(string id, string reason, CancellationToken ct = default) =>
        FailFromAsync(id, [WithdrawalState.Reserved], FailureKind.Canceled, reason, ct);

    private sealed class PlanRow
    {
        public string Policy { get; set; } = "";
        public long? NextAttemptAt { get; set; }
    }
}
