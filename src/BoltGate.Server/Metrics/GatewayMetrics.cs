using System.Diagnostics.Metrics;

namespace BoltGate.Server.Metrics;

/// <summary>
/// The gateway's instruments on the <c>BoltGate.Gateway</c> meter (this host's <see cref="IMeterFactory"/>),
/// exported at <c>/metrics</c> by OpenTelemetry's Prometheus exporter (<see cref="MetricsSetup"/>).
/// Prometheus names: <c>boltgate_taps_total{result}</c>, <c>boltgate_lnurl_rejections_total{code}</c>,
/// <c>boltgate_withdrawals_total{outcome,failure_kind}</c>, <c>boltgate_callback_duration_seconds{result}</c>,
/// and the gauges <see cref="GatewayGauges"/> observes.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "BoltGate.Gateway";

    private readonly Counter<long> _taps;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _withdrawals;
    private readonly Histogram<double> _callback;

    public GatewayMetrics(IMeterFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Meter = factory.Create(MeterName);
        _taps = Meter.CreateCounter<long>("boltgate_taps", description: "Card taps, by result: offer, or the LNURL error code of the refusal.");
        _rejections = Meter.CreateCounter<long>("boltgate_lnurl_rejections", description: "LNURL requests refused, by error code.");
        _withdrawals = Meter.CreateCounter<long>("boltgate_withdrawals",
            description: "Withdrawals that reached an outcome, by outcome (Succeeded, Failed) and failure kind.");
        _callback = Meter.CreateHistogram<double>("boltgate_callback_duration", unit: "s",
            description: "Time to answer an LNURL callback (the wallet's wait), by result: ok or refused.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60] });
    }

    public Meter Meter { get; }

    /// <summary>A tap answered with an offer (<c>offer</c>) or refused (its LNURL error code).</summary>
    public void Tap(string result) => _taps.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Rejected(string code) => _rejections.Add(1, new KeyValuePair<string, object?>("code", code));

    public void Withdrawal(string outcome, string failureKind, long count = 1) => _withdrawals.Add(count,
        new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("failure_kind", failureKind));

    public void CallbackAnswered(TimeSpan elapsed, bool ok) =>
        _callback.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("result", ok ? "ok" : "refused"));
}
