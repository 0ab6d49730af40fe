using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;

namespace BoltGate.Lightning.Simulated;

/// <summary>
/// The in-process <see cref="ILightningNode"/>: pays through <see cref="SimulatedNetwork"/> with the
/// same deadline rules as the real clients (the node stops new attempts a margin before our
/// deadline; at our deadline anything unresolved is Unknown). Several instances over one network
/// behave like several clients of one node, so "track after restart" works.
/// </summary>
public sealed class SimulatedNode : ILightningNode
{
    private readonly TimeSpan _nodeMargin;

    public SimulatedNode(SimulatedNetwork network, TimeSpan? nodeMargin = null)
    {
        Network = network ?? throw new ArgumentNullException(nameof(network));
        _nodeMargin = nodeMargin ?? TimeSpan.FromSeconds(2);
    }

    public SimulatedNetwork Network { get; }

    private TimeProvider Time => Network.Time;

    /// <summary>A real BOLT11 invoice from a named simulated payee.</summary>
    public string CreatePayeeInvoice(string payeeName, Msat? amount, string description = "simulated payee", TimeSpan? expiry = null) =>
        Network.CreatePayeeInvoice(payeeName, amount, description, expiry);

    public Task<NodeInfo> GetInfoAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(new NodeInfo(Network.Network, Network.NodePubKeyHex, true, "boltgate-simulated", "simulated"));
    }

    public async Task<PaymentOutcome> PayAsync(PayRequest request, IProgress<PaymentProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var remaining = request.Deadline - Time.GetUtcNow();
        if (remaining < TimeSpan.FromSeconds(1))
            return new PaymentOutcome.Failed(FailureKind.Timeout, "deadline passed before the payment was sent");
        var budget = TimeSpan.FromSeconds(Math.Max(1, Math.Floor((remaining - _nodeMargin).TotalSeconds)));

        // The deadline clock starts before the payment is visible, as with a remote node.
        using var deadline = new CancellationTokenSource(remaining, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var start = Network.StartPayment(request.Bolt11, request.InvoiceHasAmount ? null : request.Amount, request.MaxFee, budget);
        SimulatedPayment payment;
        switch (start)
        {
            case SimulatedStart.Refused { Reason: SimulatedRefusal.AlreadyPaid, Existing: { } paid }:
                progress?.Report(new PaymentProgress(PaymentStage.Accepted, 0, "simulated: already paid earlier; not paying again"));
                return paid.Outcome;
            case SimulatedStart.Refused { Reason: SimulatedRefusal.InFlight }:
                progress?.Report(new PaymentProgress(PaymentStage.InFlight, 0, "simulated: a payment for this hash is already in flight"));
                return new PaymentOutcome.Unknown("simulated: a payment for this hash is already in flight");
            case SimulatedStart.Refused refused:
                return new PaymentOutcome.Failed(KindOf(refused.Reason), "simulated: " + refused.Message);
            case SimulatedStart.Started started:
                payment = started.Payment;
                break;
            default:
                throw new InvalidOperationException("unreachable");
        }
        if (payment.Hash != request.PaymentHash)
            return new PaymentOutcome.Unknown("simulated: the invoice's payment hash differs from the request's");

        progress?.Report(new PaymentProgress(PaymentStage.Accepted, 0, "simulated node accepted the payment"));
        var seen = -1;
        var gaveUpReported = false;
        try
        {
            while (true)
            {
                if (payment.IsFinal)
                    return payment.Outcome;
                if (payment.Version != seen)
                {
                    seen = payment.Version;
                    if (payment.NodeGaveUp && !gaveUpReported)
                    {
                        gaveUpReported = true;
                        progress?.Report(new PaymentProgress(PaymentStage.NoNewAttempts, payment.HtlcsInFlight, "simulated: node deadline passed with HTLCs in flight"));
                    }
                    else if (payment.HtlcsInFlight > 0)
                    {
                        progress?.Report(new PaymentProgress(PaymentStage.InFlight, payment.HtlcsInFlight, "simulated: HTLC in flight"));
                    }
                }
                await payment.WaitForChangeAsync(seen, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            progress?.Report(new PaymentProgress(PaymentStage.DeadlineReached, payment.HtlcsInFlight, "deadline reached while the payment was pending"));
            return payment.IsFinal ? payment.Outcome : new PaymentOutcome.Unknown("deadline reached; " + ((PaymentOutcome.Unknown)payment.Outcome).Reason);
        }
    }

    private static FailureKind KindOf(SimulatedRefusal reason) => reason switch
    {
        SimulatedRefusal.Expired => FailureKind.InvoiceExpired,
        SimulatedRefusal.SelfPayment => FailureKind.NoRoute,
        _ => FailureKind.IncorrectPaymentDetails,
    };

    public Task<PaymentLookup> TrackAsync(Bytes32 paymentHash, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult<PaymentLookup>(Network.Find(paymentHash) is { } p
            ? new PaymentLookup.Found(p.Outcome)
            : new PaymentLookup.NotFound("simulated: no payment with this hash"));
    }

    public Task<CreatedInvoice> CreateInvoiceAsync(Msat amount, string description, TimeSpan expiry, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Network.CreateInvoice(amount, description, expiry));
    }

    public Task<InvoiceStatus> WaitInvoiceAsync(Bytes32 paymentHash, CancellationToken ct) => Network.WaitInvoiceAsync(paymentHash, ct);

    public Task<RouteProbe> ProbeRouteAsync(string payeePubKeyHex, Msat amount, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Network.Probe(payeePubKeyHex, amount));
    }

    public Task<NodeLiquidity> GetLiquidityAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Network.Liquidity());
    }

    public void Dispose()
    {
        // The network outlives its clients.
    }
}
