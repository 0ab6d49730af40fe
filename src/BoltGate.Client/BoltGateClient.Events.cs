using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BoltGate.Client;

/// <summary>Lightning top-ups and webhooks (docs/api.md).</summary>
public sealed partial class BoltGateClient
{
    private static readonly EventsJsonContext EventsJson = EventsJsonContext.Default;

    /// <summary>Creates a Lightning invoice whose payment credits the card (scope funds:write).</summary>
    public Task<Topup> CreateTopupAsync(string cardId, long amountSat, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, Card(cardId, "topups"), new TopupRequest(amountSat), EventsJson.TopupRequest, EventsJson.Topup, ct);

    public async Task<IReadOnlyList<Topup>> ListTopupsAsync(string cardId, CancellationToken ct) =>
        await SendAsync(HttpMethod.Get, Card(cardId, "topups"), EventsJson.ListTopup, ct).ConfigureAwait(false);

    public Task<Topup> GetTopupAsync(string topupId, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "api/v1/topups/" + Uri.EscapeDataString(topupId), EventsJson.Topup, ct);

    /// <summary>Creates a webhook (scope admin); the answer carries its secret, shown this once.</summary>
    public Task<Webhook> CreateWebhookAsync(string url, IReadOnlyList<string> events, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "api/v1/webhooks", new WebhookRequest(url, events), EventsJson.WebhookRequest, EventsJson.Webhook, ct);

    public async Task<IReadOnlyList<Webhook>> ListWebhooksAsync(CancellationToken ct) =>
        await SendAsync(HttpMethod.Get, "api/v1/webhooks", EventsJson.ListWebhook, ct).ConfigureAwait(false);

    public async Task DeleteWebhookAsync(string webhookId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, Resolve("api/v1/webhooks/" + Uri.EscapeDataString(webhookId)));
        if (apiKey is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await RefusalAsync(response, ct).ConfigureAwait(false);
    }

    /// <summary>A webhook's deliveries, newest event first, each with its attempt log.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string webhookId, CancellationToken ct) =>
        await SendAsync(HttpMethod.Get, "api/v1/webhooks/" + Uri.EscapeDataString(webhookId) + "/deliveries", EventsJson.ListWebhookDelivery, ct)
            .ConfigureAwait(false);

    /// <summary>Queues a delivery for another attempt now (the same webhook-id).</summary>
    public Task<WebhookDelivery> RedeliverAsync(string webhookId, string deliveryId, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "api/v1/webhooks/" + Uri.EscapeDataString(webhookId) + "/deliveries/" + Uri.EscapeDataString(deliveryId) + "/redeliver",
            EventsJson.WebhookDelivery, ct);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TopupRequest))]
[JsonSerializable(typeof(Topup))]
[JsonSerializable(typeof(List<Topup>))]
[JsonSerializable(typeof(WebhookRequest))]
[JsonSerializable(typeof(Webhook))]
[JsonSerializable(typeof(List<Webhook>))]
[JsonSerializable(typeof(WebhookDelivery))]
[JsonSerializable(typeof(List<WebhookDelivery>))]
internal sealed partial class EventsJsonContext : JsonSerializerContext;
