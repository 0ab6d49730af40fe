using System.Net;
using BoltGate.Server.Admin;
using BoltGate.Server.Auth;
using BoltGate.Server.Cards;
using BoltGate.Server.Errors;
using BoltGate.Storage;
using BoltGate.Storage.Outbox;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BoltGate.Server.Webhooks;

/// <summary>
/// The webhook routes (scope <c>admin</c>): create (the secret is in that answer only), list, delete, the
/// delivery log of one webhook, and a redelivery by hand.
/// </summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/webhooks").RequireAuthorization(Scopes.Admin);

        api.MapPost("", async Task<Results<Created<WebhookCreatedResponse>, AdminFailure>> (CreateWebhookRequest? body, BoltGateStore store,
            IOptions<WebhookOptions> options, CancellationToken ct) =>
        {
            if (Validate(body, options.Value) is { } invalid)
                return AdminFailure.BadRequest(invalid);
            var secret = WebhookSignature.NewSecret();
            var events = body!.Events!.Distinct(StringComparer.Ordinal).ToList();
            var hook = await store.CreateWebhookAsync(body.Url!, events, secret, ct);
            return TypedResults.Created($"/api/v1/webhooks/{hook.Id}",
                new WebhookCreatedResponse(hook.Id, hook.Url, hook.Events, WebhookSignature.FormatSecret(secret), hook.CreatedAt));
        });

        api.MapGet("", async (BoltGateStore store, CancellationToken ct) =>
            TypedResults.Ok((await store.ListWebhooksAsync(ct)).Select(WebhookResponse.From)))
            .ProducesAdminProblems(400, 401, 403);

        api.MapGet("/{id}", async Task<Results<Ok<WebhookResponse>, AdminFailure>> (string id, BoltGateStore store, CancellationToken ct) =>
            await store.GetWebhookAsync(id, ct) is { } hook ? TypedResults.Ok(WebhookResponse.From(hook)) : NotFound(id));

        api.MapDelete("/{id}", async Task<Results<NoContent, AdminFailure>> (string id, BoltGateStore store, CancellationToken ct) =>
            await store.DeleteWebhookAsync(id, ct) ? TypedResults.NoContent() : NotFound(id));

        api.MapGet("/{id}/deliveries", async Task<Results<Ok<List<DeliveryResponse>>, AdminFailure>> (string id, int? limit, BoltGateStore store,
            CancellationToken ct) =>
        {
            if (await store.GetWebhookAsync(id, ct) is null)
                return NotFound(id);
            if (limit is < 1 or > 500)
                return AdminFailure.BadRequest("limit is 1..500.");
            var list = new List<DeliveryResponse>();
            foreach (var d in await store.ListWebhookDeliveriesAsync(id, limit ?? 100, ct))
                list.Add(DeliveryResponse.From(d, await store.ListWebhookAttemptsAsync(d.Id, ct)));
            return TypedResults.Ok(list);
        });

        api.MapPost("/{id}/deliveries/{deliveryId}/redeliver", async Task<Results<Accepted<DeliveryResponse>, AdminFailure>> (string id,
            string deliveryId, BoltGateStore store, CancellationToken ct) =>
            await store.RedeliverWebhookAsync(id, deliveryId, ct) is { } d
                ? TypedResults.Accepted((string?)null, DeliveryResponse.From(d))
                : AdminFailure.From(new CardError(CardErrorKind.NotFound,
                    $"No delivery {deliveryId} of webhook {id} that can be sent again (unknown, or an attempt is under way).")));

        return app;
    }

    private static AdminFailure NotFound(string id) => AdminFailure.From(new CardError(CardErrorKind.NotFound, $"No webhook {id}."));

    private static string? Validate(CreateWebhookRequest? body, WebhookOptions options)
    {
        if (body is null)
            return "Send a JSON body: {\"url\", \"events\": [...]}.";
        if (!Uri.TryCreate(body.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            return "url must be an absolute http or https URL.";
        if (url.UserInfo.Length > 0 || url.Fragment.Length > 0)
            return "url must carry no user name, password or fragment.";
        // A literal address is judged now; a name is resolved and judged at every delivery (ReceiverClient).
        if (!options.AllowPrivateAddresses && IPAddress.TryParse(url.DnsSafeHost, out var ip) && !ReceiverAddresses.IsPublic(ip))
            return $"url points at {url.DnsSafeHost}, a loopback or private address; webhooks go to public addresses only (Webhooks:AllowPrivateAddresses).";
        if (body.Events is not { Count: > 0 })
            return "events must name at least one of: " + string.Join(", ", OutboxEventTypes.All) + ".";
        var unknown = body.Events.Where(e => !OutboxEventTypes.All.Contains(e)).ToList();
        if (unknown.Count > 0)
            return $"Unknown event type(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", OutboxEventTypes.All)}.";
        return null;
    }
}
