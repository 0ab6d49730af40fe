using System.Diagnostics.Metrics;
using BoltGate.Payments;
using Prometheus;

namespace BoltGate.Server.Metrics;

/// <summary>
/// Publishes this host's <see cref="PaymentMetrics"/> (a System.Diagnostics.Metrics meter) as Prometheus
/// series in the gateway's registry, so <c>/metrics</c> shows payment outcomes by failure code, refunds,
/// retries, route pre-checks, node calls and the failure-to-refund time. Only the meter of this host's
/// factory is read (several hosts in one test process do not mix).
/// </summary>
public sealed class PaymentMetricsExport : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, (Counter Counter, string[] Labels)> _counters;
    private readonly Histogram _refundCommit;

    public PaymentMetricsExport(GatewayMetrics gateway, IMeterFactory factory, PaymentMetrics payments)
    {
        _ = payments; // created first, so its instruments exist when the listener starts
        var f = Prometheus.Metrics.WithCustomRegistry(gateway.Registry);
        _counters = new Dictionary<string, (Counter, string[])>(StringComparer.Ordinal)
        {
            ["outcomes"] = (f.CreateCounter("boltgate_payment_outcomes_total", "Withdrawals that reached a final state, by state and failure code.",
                new CounterConfiguration { LabelNames = ["state", "code"] }), ["state", "code"]),
            ["refunds"] = (f.CreateCounter("boltgate_payment_refunds_total", "Reservations refunded, by failure code.",
                new CounterConfiguration { LabelNames = ["code"] }), ["code"]),
            ["retries"] = (f.CreateCounter("boltgate_payment_retries_total", "Failed attempts scheduled for another attempt, by failure code.",
                new CounterConfiguration { LabelNames = ["code"] }), ["code"]),
            ["preflight"] = (f.CreateCounter("boltgate_payment_preflight_total", "Route pre-checks before reserving, by result.",
                new CounterConfiguration { LabelNames = ["result"] }), ["result"]),
            ["node_calls"] = (f.CreateCounter("boltgate_payment_node_calls_total", "Payments handed to the node (first sends and re-sends)."), []),
        };
        _refundCommit = f.CreateHistogram("boltgate_payment_refund_commit_milliseconds",
            "From the node's definitive failure to the committed refund, in milliseconds.",
            new HistogramConfiguration { Buckets = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000] });

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PaymentMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (!_counters.TryGetValue(instrument.Name, out var c))
                return;
            var values = new string[c.Labels.Length];
            for (var i = 0; i < values.Length; i++)
                values[i] = Tag(tags, c.Labels[i]);
            c.Counter.WithLabels(values).Inc(value);
            if (instrument.Name == "outcomes")
                gateway.Withdrawals.WithLabels(Tag(tags, "state")).Inc(value); // the gateway's own series, by final state
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == PaymentMetrics.RefundCommitInstrument)
                _refundCommit.Observe(value);
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
