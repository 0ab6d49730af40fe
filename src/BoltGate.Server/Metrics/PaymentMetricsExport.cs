using System.Diagnostics.Metrics;
using BoltGate.Payments;

namespace BoltGate.Server.Metrics;

/// <summary>
/// Publishes this host's <see cref="PaymentMetrics"/> (the engine's <c>BoltGate.Payments</c> meter) under the
/// gateway's Prometheus names, on the <c>BoltGate.Gateway</c> meter: outcomes by state and failure code,
/// refunds, retries, route pre-checks, node calls and the failure-to-refund time
/// (<c>boltgate_payment_*</c>), and <c>boltgate_withdrawals_total{outcome,failure_kind}</c>. Only the meter
/// of this host's factory is read, so several hosts in one process (tests) do not mix.
/// </summary>
public sealed class PaymentMetricsExport : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, (Counter<long> Counter, string[] Labels)> _counters;
    private readonly Histogram<double> _refundCommit;

    public PaymentMetricsExport(GatewayMetrics gateway, IMeterFactory factory, PaymentMetrics payments)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        _ = payments; // created first, so its instruments exist when the listener starts
        var m = gateway.Meter;
        _counters = new Dictionary<string, (Counter<long>, string[])>(StringComparer.Ordinal)
        {
            ["outcomes"] = (m.CreateCounter<long>("boltgate_payment_outcomes", description: "Withdrawals that reached a final state, by state and failure code."),
                ["state", "code"]),
            ["refunds"] = (m.CreateCounter<long>("boltgate_payment_refunds", description: "Reservations refunded, by failure code."), ["code"]),
            ["retries"] = (m.CreateCounter<long>("boltgate_payment_retries", description: "Failed attempts scheduled for another attempt, by failure code."),
                ["code"]),
            ["preflight"] = (m.CreateCounter<long>("boltgate_payment_preflight", description: "Route pre-checks before reserving, by result."), ["result"]),
            ["node_calls"] = (m.CreateCounter<long>("boltgate_payment_node_calls", description: "Payments handed to the node (first sends and re-sends)."), []),
        };
        _refundCommit = m.CreateHistogram<double>("boltgate_payment_refund_commit", unit: "ms",
            description: "From the node's definitive failure to the committed refund.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000] });

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PaymentMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (!_counters.TryGetValue(instrument.Name, out var c))
                return;
            var labels = new KeyValuePair<string, object?>[c.Labels.Length];
            for (var i = 0; i < labels.Length; i++)
                labels[i] = new(c.Labels[i], Tag(tags, c.Labels[i]));
            c.Counter.Add(value, labels);
            if (instrument.Name == "outcomes")
                gateway.Withdrawal(Tag(tags, "state"), Tag(tags, "code"), value); // the gateway's own series, by final state
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == PaymentMetrics.RefundCommitInstrument)
                _refundCommit.Record(value);
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
                return tag.Value?.ToString() ?? "";
        }
        return "";
    }
}
