using Prometheus;

namespace BoltGate.Server.Metrics;

/// <summary>
/// The gateway's Prometheus counters, in a registry of their own per host (so several hosts in one
/// process, as in tests, do not share counts). Served at <c>/metrics</c>.
/// </summary>
public sealed class GatewayMetrics
{
    public GatewayMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Taps = factory.CreateCounter("boltgate_taps_total", "Card taps answered with an offer.");
        Rejections = factory.CreateCounter("boltgate_lnurl_rejections_total", "LNURL requests refused, by error code.",
            new CounterConfiguration { LabelNames = ["code"] });
        Withdrawals = factory.CreateCounter("boltgate_withdrawals_total", "Withdrawals that reached an outcome, by outcome.",
            new CounterConfiguration { LabelNames = ["outcome"] });
    }

    public CollectorRegistry Registry { get; }

    public Counter Taps { get; }

    public Counter Rejections { get; }

    public Counter Withdrawals { get; }
}
