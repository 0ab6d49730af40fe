using BoltGate.Payments;

namespace BoltGate.Server.Payments;

/// <summary>
/// Runs the reconciler with the server: a pass at start-up (recovering whatever a crash or stop left in
/// Reserved, Sending or InFlight) and then every <c>Payments:ReconcileInterval</c>. On shutdown the
/// engine's drives stop and give their leases back; the rows stay as they are for the next start.
/// </summary>
public sealed class ReconcilerService(Reconciler reconciler, PaymentEngine engine) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => reconciler.RunAsync(stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await engine.StopAsync();
    }
}
