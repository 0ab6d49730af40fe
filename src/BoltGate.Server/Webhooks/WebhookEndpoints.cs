using BoltGate.Server.Admin;
using BoltGate.Server.Auth;
using BoltGate.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BoltGate.Server.Webhooks;

/// <summary>
/// The webhook routes (scope <c>admin</c>): create (the secret is in that answer only), list, delete, the
/// delivery log of one webhook, and a redelivery by hand. The work is <see cref="WebhookService"/>'s, which the console shares.
/// </summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/webhooks").RequireAuthorization(Scopes.Admin);

        api.MapPost("", async Task<Results<Created<WebhookCreatedResponse>, AdminFailure>> (CreateWebhookRequest? body, WebhookService webhooks,
            CancellationToken ct) =>
        {
            if (body is null)
                return AdminFailure.BadRequest("Send a JSON body: {\"url\", \"events\": [...]}.");
            var created = await webhooks.CreateAsync(body.Url, body.Events, ct);
            if (created.Error is { } error)
                return AdminFailure.From(error);
            var (hook, secret) = created.Value!;
            return TypedResults.Created($"/api/v1/webhooks/{hook.Id}", new WebhookCreatedResponse(hook.Id, hook.Url, hook.Events, secret, hook.CreatedAt));
        });

        api.MapGet("", async (WebhookService webhooks, CancellationToken ct) =>
            TypedResults.Ok((await webhooks.ListAsync(ct)).Select(WebhookResponse.From)))
            .ProducesAdminProblems(400, 401, 403);

        api.MapGet("/{id}", async Task<Results<Ok<WebhookResponse>, AdminFailure>> (string id, WebhookService webhooks, CancellationToken ct) =>
            (await webhooks.GetAsync(id, ct)).Ok(WebhookResponse.From));

        api.MapDelete("/{id}", async Task<Results<NoContent, AdminFailure>> (string id, WebhookService webhooks, CancellationToken ct) =>
            (await webhooks.DeleteAsync(id, ct)).Error is { } error ? AdminFailure.From(error) : TypedResults.NoContent());

        api.MapGet("/{id}/deliveries", async Task<Results<Ok<List<DeliveryResponse>>, AdminFailure>> (string id, int? limit, WebhookService webhooks,
            CancellationToken ct) =>
            (await webhooks.DeliveriesAsync(id, limit, ct)).Ok(list => list.Select(d => DeliveryResponse.From(d.Delivery, d.Attempts)).ToList()));

        api.MapPost("/{id}/deliveries/{deliveryId}/redeliver", async Task<Results<Accepted<DeliveryResponse>, AdminFailure>> (string id,
            string deliveryId, WebhookService webhooks, CancellationToken ct) =>
        {
            var redone = await webhooks.RedeliverAsync(id, deliveryId, ct);
            return redone.Error is { } error ? AdminFailure.From(error) : TypedResults.Accepted((string?)null, DeliveryResponse.From(redone.Value!));
        });

        return app;
    }
}
