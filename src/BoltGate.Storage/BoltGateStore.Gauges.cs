using Dapper;

namespace BoltGate.Storage;

/// <summary>What the gateway owes and holds right now, for the metrics' gauges.</summary>
public sealed record GaugeSnapshot(long InFlightPayments, long BalancesMsat, long ReservedMsat, long WebhookBacklog);

public sealed partial class BoltGateStore
{
    /// <summary>
    /// Withdrawals not yet final (Reserved, Sending, InFlight), the sum of card balances and of what those
    /// withdrawals hold (amount + fee reserve): together the liabilities. And deliveries waiting for a receiver.
    /// </summary>
    public Task<GaugeSnapshot> GaugeSnapshotAsync(CancellationToken ct = default) =>
        ReadAsync(async c =>
        {
            var (inFlight, reserved) = await c.QuerySingleAsync<(long, long)>(Cmd(
                $"SELECT COUNT(*), COALESCE(SUM(amount_msat + fee_reserve_msat), 0) FROM withdrawals WHERE state IN {HoldingStates}", null, null, ct))
                .ConfigureAwait(false);
            var balances = await c.ExecuteScalarAsync<long?>(Cmd("SELECT SUM(balance_msat) FROM cards", null, null, ct)).ConfigureAwait(false) ?? 0;
            var backlog = await c.ExecuteScalarAsync<long>(Cmd("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'Pending'", null, null, ct))
                .ConfigureAwait(false);
            return new GaugeSnapshot(inFlight, balances, reserved, backlog);
        }, ct);
}
