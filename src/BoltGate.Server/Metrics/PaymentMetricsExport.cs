using BoltGate.Payments;
using Prometheus;

namespace BoltGate.Server.Metrics;

/// <summary>
/// Publishes this host's <see cref="PaymentMetrics"/> (a System.Diagnostics.Metrics meter) in the gateway's
/// Prometheus registry, so <c>/metrics</c> shows payment outcomes by failure code, refunds, retries,
/// route pre-checks and the failure-to-refund time. Only the meter of this host's factory is taken.
/// </summary>
public sealed class PaymentMetricsExport : IDisposable
{
    private readonly IDisposable _adapter;

    public PaymentMetricsExport(GatewayMetrics gateway, System.Diagnostics.Metrics.IMeterFactory factory, PaymentMetrics payments)
    {
        _ = payments; // created first, so the meter exists when the adapter starts listening
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = gateway.Registry,
            InstrumentFilterPredicate = i => i.Meter.Name == PaymentMetrics.MeterName && ReferenceEquals(i.Meter.Scope, factory),
        });
    }

    public void Dispose() => _adapter.Dispose();
}
