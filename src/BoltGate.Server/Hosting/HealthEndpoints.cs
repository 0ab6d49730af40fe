using BoltGate.Lightning;
using BoltGate.Storage;

namespace BoltGate.Server.Hosting;

/// <summary>
/// <c>/healthz</c>: the process is alive and serving (no dependency checked, so an orchestrator does not
/// restart a gateway whose node is down). <c>/readyz</c>: the database answers and the Lightning node
/// answers getinfo within <see cref="CheckTimeout"/>; 503 with the reason of each failed check otherwise.
/// </summary>
public static class HealthEndpoints
{
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", async (BoltGateStore store, ILightningNode node, CancellationToken ct) =>
        {
            var database = await CheckAsync(async token => await store.PingAsync(token) ? null : "the database answered unexpectedly", ct);
            var lightning = await CheckAsync(async token =>
            {
                var info = await node.GetInfoAsync(token);
                return info is null ? "the node gave no info" : null;
            }, ct);
            var ready = database is null && lightning is null;
            return Results.Json(new ReadinessResponse(ready ? "ready" : "not ready",
                new ReadinessChecks(new ReadinessCheck(database is null ? "ok" : "failed", database),
                    new ReadinessCheck(lightning is null ? "ok" : "failed", lightning))),
                statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }

    private static async Task<string?> CheckAsync(Func<CancellationToken, Task<string?>> check, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            return await check(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"no answer within {CheckTimeout.TotalSeconds:0} s";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever broke is the reason (a refused connection, a TLS or auth failure); never a 500.
            return e.Message;
        }
    }
}

public sealed record ReadinessResponse(string Status, ReadinessChecks Checks);

public sealed record ReadinessChecks(ReadinessCheck Database, ReadinessCheck Lightning);

public sealed record ReadinessCheck(string Status, string? Reason);
