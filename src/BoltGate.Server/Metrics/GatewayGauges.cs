using System.Diagnostics.Metrics;
using BoltGate.Storage;

namespace BoltGate.Server.Metrics;

/// <summary>
/// The gauges read from the database when <c>/metrics</c> is scraped: <c>boltgate_payments_in_flight</c>
/// (withdrawals not yet final), <c>boltgate_liabilities_msat{kind="balances"|"reserved"}</c> (what the cards
/// can spend, and what unfinished withdrawals hold) and <c>boltgate_webhook_backlog</c> (deliveries not yet
/// accepted). One snapshot serves every gauge of a scrape (they are read within a second of each other).
/// </summary>
public sealed class GatewayGauges
{
    private readonly BoltGateStore _store;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private GaugeSnapshot _last = new(0, 0, 0, 0);
    private long _lastAt = long.MinValue;

    public GatewayGauges(GatewayMetrics metrics, BoltGateStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _store = store;
        _time = time;
        metrics.Meter.CreateObservableGauge("boltgate_payments_in_flight", () => Snapshot().InFlightPayments,
            description: "Withdrawals reserved and not yet final (Reserved, Sending, InFlight).");
        metrics.Meter.CreateObservableGauge("boltgate_liabilities_msat", () => new[]
        {
            new Measurement<long>(Snapshot().BalancesMsat, new KeyValuePair<string, object?>("kind", "balances")),
            new Measurement<long>(Snapshot().ReservedMsat, new KeyValuePair<string, object?>("kind", "reserved")),
        }, description: "What the gateway owes card holders, in msat: spendable balances and funds held by unfinished withdrawals.");
        metrics.Meter.CreateObservableGauge("boltgate_webhook_backlog", () => Snapshot().WebhookBacklog,
            description: "Webhook deliveries waiting to be accepted by their receiver.");
    }

    private GaugeSnapshot Snapshot()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (_lastAt != long.MinValue && _time.GetElapsedTime(_lastAt, now) < TimeSpan.FromSeconds(1))
                return _last;
            try
            {
                // Observable callbacks are synchronous; a scrape is rare and the queries are three aggregates.
                _last = _store.GaugeSnapshotAsync(CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                // The database is down: keep the last values (/readyz says why).
            }
            _lastAt = now;
            return _last;
        }
    }
}
