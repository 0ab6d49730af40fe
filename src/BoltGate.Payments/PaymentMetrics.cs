using System.Diagnostics.Metrics;

namespace BoltGate.Payments;

/// <summary>
/// The engine's instruments on the <c>BoltGate.Payments</c> meter (the gateway publishes them on
/// <c>/metrics</c>; any OpenTelemetry exporter can too): outcomes by state and failure code, refunds, retries,
/// route pre-checks, and the time from the node's definitive failure to the committed refund.
/// </summary>
public sealed class PaymentMetrics : IDisposable
{
    public const string MeterName = "BoltGate.Payments";

    /// <summary>Instrument names are short; the gateway exports them as <c>boltgate_payment_*</c> Prometheus series.</summary>
    public const string RefundCommitInstrument = "refund_commit_ms";

    private readonly Meter _meter;
    private readonly Counter<long> _outcomes;
    private readonly Counter<long> _refunds;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _preflight;
    private readonly Counter<long> _payCalls;
    private readonly Histogram<double> _refundCommit;

    public PaymentMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _outcomes = _meter.CreateCounter<long>("outcomes", description: "Withdrawals that reached a final state, by state and failure code.");
        _refunds = _meter.CreateCounter<long>("refunds", description: "Reservations refunded, by failure code.");
        _retries = _meter.CreateCounter<long>("retries", description: "Failed attempts scheduled for another attempt, by failure code.");
        _preflight = _meter.CreateCounter<long>("preflight", description: "Route pre-checks before reserving, by result.");
        _payCalls = _meter.CreateCounter<long>("node_calls", description: "Payments handed to the node (first sends and re-sends).");
        _refundCommit = _meter.CreateHistogram<double>(RefundCommitInstrument, unit: "ms",
            description: "From the node's definitive failure to the committed refund.");
    }

    public void Succeeded() => _outcomes.Add(1, new KeyValuePair<string, object?>("state", "Succeeded"), new KeyValuePair<string, object?>("code", ""));

    public void Refunded(string code, TimeSpan sinceNodeAnswer)
    {
        _outcomes.Add(1, new KeyValuePair<string, object?>("state", "Failed"), new KeyValuePair<string, object?>("code", code));
        _refunds.Add(1, new KeyValuePair<string, object?>("code", code));
        _refundCommit.Record(sinceNodeAnswer.TotalMilliseconds);
    }

    public void Retry(string code) => _retries.Add(1, new KeyValuePair<string, object?>("code", code));

    public void Preflight(string result) => _preflight.Add(1, new KeyValuePair<string, object?>("result", result));

    public void NodeCall() => _payCalls.Add(1);

    public void Dispose() => _meter.Dispose();
}
