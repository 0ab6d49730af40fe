using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Storage.Withdrawals;
using Dapper;

namespace BoltGate.Storage;

/// <summary>
/// Store entry points only the tests use: shortcuts that build a state (a withdrawal marked Sending
/// without a lease, a requeue, a settlement paid by the card) or look one up. They run through the
/// store's own transactions (InternalsVisibleTo), so they hold the same invariants as the production calls.
/// </summary>
public static class StoreTestEntryPoints
{
    /// <summary>Reserved → Sending, counting the attempt (the reservation's deadline stays; no lease).</summary>
    public static Task<TransitionResult> MarkSendingAsync(this BoltGateStore store, string id, CancellationToken ct = default) =>
        store.TransitionAsync(id, [WithdrawalState.Reserved], WithdrawalState.Sending,
            "sending_at = @now, attempts = attempts + 1", null, null, ct);

    /// <summary>Reserved → Sending with its own deadline, clearing the retry time (no lease).</summary>
    public static Task<TransitionResult> MarkSendingAsync(this BoltGateStore store, string id, DateTimeOffset deadline, CancellationToken ct = default) =>
        store.TransitionAsync(id, [WithdrawalState.Reserved], WithdrawalState.Sending,
            "sending_at = @now, attempts = attempts + 1, deadline = @deadline, next_attempt_at = NULL",
            new { deadline = deadline.ToUnixTimeMilliseconds() }, null, ct);

    /// <summary>Sending/InFlight → Reserved for another attempt now, keeping the last failure.</summary>
    public static Task<TransitionResult> RequeueAsync(
        this BoltGateStore store, string id, FailureKind lastFailure, string nodeMessage, CancellationToken ct = default) =>
        store.TransitionAsync(id, [WithdrawalState.Sending, WithdrawalState.InFlight], WithdrawalState.Reserved,
            "failure_code = @code, node_message = @message", new { code = lastFailure.Code(), message = nodeMessage }, null, ct);

    /// <summary>Settles with the card paying the fee (<see cref="FeePayer.Card"/>).</summary>
    public static Task<TransitionResult> SettleAsync(this BoltGateStore store, string id, Bytes32 preimage, Msat fee, CancellationToken ct = default) =>
        store.SettleAsync(id, preimage, fee, FeePayer.Card, ct);

    public static Task<Withdrawal?> FindWithdrawalByPaymentHashAsync(this BoltGateStore store, Bytes32 paymentHash, CancellationToken ct = default) =>
        store.ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<WithdrawalRow>(BoltGateStore.Cmd(
            $"SELECT {WithdrawalRow.Columns} FROM withdrawals WHERE payment_hash = @hash", new { hash = paymentHash.ToHex() }, null, ct))
            .ConfigureAwait(false))?.ToWithdrawal(), ct);

    /// <summary>Withdrawals still holding a reservation (Reserved, Sending, InFlight), oldest first.</summary>
    public static Task<IReadOnlyList<Withdrawal>> ListUnfinishedAsync(this BoltGateStore store, int limit = 1000, CancellationToken ct = default) =>
        store.ReadAsync<IReadOnlyList<Withdrawal>>(async c => (await c.QueryAsync<WithdrawalRow>(BoltGateStore.Cmd(
            $"SELECT {WithdrawalRow.Columns} FROM withdrawals WHERE state IN {BoltGateStore.HoldingStates} ORDER BY reserved_at, id LIMIT @limit",
            new { limit = (long)limit }, null, ct)).ConfigureAwait(false)).Select(r => r.ToWithdrawal()).ToList(), ct);

    /// <summary>
    /// Claims up to <paramref name="limit"/> unfinished withdrawals whose lease is free or lapsed, due or not
    /// (the reconciler's <see cref="BoltGateStore.ClaimDueAsync"/> without its "due" filter).
    /// </summary>
    public static Task<IReadOnlyList<Withdrawal>> ClaimUnfinishedAsync(
        this BoltGateStore store, string owner, TimeSpan leaseFor, int limit, CancellationToken ct = default) =>
        store.WriteAsync<IReadOnlyList<Withdrawal>>(async (c, tx) =>
        {
            var now = store.NowMs();
            const string free = $"state IN {BoltGateStore.HoldingStates} AND (lease_until IS NULL OR lease_until <= @now)";
            var rows = await c.QueryAsync<WithdrawalRow>(BoltGateStore.Cmd(
                "UPDATE withdrawals SET lease_owner = @owner, lease_until = @until " +
                $"WHERE id IN (SELECT id FROM withdrawals WHERE {free} ORDER BY reserved_at, id LIMIT @limit{store.Engine.ForUpdateSkipLocked}) " +
                $"AND {free} RETURNING {WithdrawalRow.Columns}",
                new { owner, until = now + (long)leaseFor.TotalMilliseconds, now, limit = (long)limit }, tx, ct)).ConfigureAwait(false);
            return (rows.Select(r => r.ToWithdrawal()).OrderBy(w => w.ReservedAt).ToList(), true);
        }, ct);
}
