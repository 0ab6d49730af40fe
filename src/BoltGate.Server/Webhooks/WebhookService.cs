using System.Net;
using BoltGate.Server.Cards;
using BoltGate.Storage;
using BoltGate.Storage.Outbox;
using BoltGate.Storage.Webhooks;
using Microsoft.Extensions.Options;

namespace BoltGate.Server.Webhooks;

/// <summary>A webhook just created and its signing secret (<c>whsec_...</c>), which is shown this once.</summary>
public sealed record CreatedWebhook(Webhook Webhook, string Secret);

/// <summary>One delivery and its attempts, newest first as the store lists them.</summary>
public sealed record DeliveryWithAttempts(WebhookDelivery Delivery, IReadOnlyList<DeliveryAttempt> Attempts);

/// <summary>
/// Webhook endpoints and their delivery log, for the API (<see cref="WebhookEndpoints"/>) and the console
/// alike: creating one with its checks (an absolute http(s) URL, no private address unless
/// <c>Webhooks:AllowPrivateAddresses</c>, known event types), listing, deleting, and a redelivery by hand.
/// </summary>
public sealed class WebhookService(BoltGateStore store, IOptions<WebhookOptions> options)
{
    public async Task<CardResult<CreatedWebhook>> CreateAsync(string? url, IReadOnlyList<string>? events, CancellationToken ct)
    {
        if (Validate(url, events, options.Value) is { } invalid)
            return CardError.Invalid(invalid);
        var secret = WebhookSignature.NewSecret();
        var hook = await store.CreateWebhookAsync(url!, events!.Distinct(StringComparer.Ordinal).ToList(), secret, ct).ConfigureAwait(false);
        return new CreatedWebhook(hook, WebhookSignature.FormatSecret(secret));
    }

    public async Task<IReadOnlyList<Webhook>> ListAsync(CancellationToken ct) => await store.ListWebhooksAsync(ct).ConfigureAwait(false);

    public async Task<CardResult<Webhook>> GetAsync(string id, CancellationToken ct) =>
        await store.GetWebhookAsync(id, ct).ConfigureAwait(false) is { } hook ? hook : NotFound(id);

    public async Task<CardResult<bool>> DeleteAsync(string id, CancellationToken ct) =>
        await store.DeleteWebhookAsync(id, ct).ConfigureAwait(false) ? true : NotFound(id);

    /// <summary>The newest <paramref name="limit"/> (1..500, default 100) deliveries of one webhook, each with its attempts.</summary>
    public async Task<CardResult<IReadOnlyList<DeliveryWithAttempts>>> DeliveriesAsync(string id, int? limit, CancellationToken ct)
    {
        if (await store.GetWebhookAsync(id, ct).ConfigureAwait(false) is null)
            return NotFound(id);
        if (limit is < 1 or > 500)
            return CardError.Invalid("limit is 1..500.");
        var list = new List<DeliveryWithAttempts>();
        foreach (var d in await store.ListWebhookDeliveriesAsync(id, limit ?? 100, ct).ConfigureAwait(false))
            list.Add(new DeliveryWithAttempts(d, await store.ListWebhookAttemptsAsync(d.Id, ct).ConfigureAwait(false)));
        return CardResult<IReadOnlyList<DeliveryWithAttempts>>.Of(list);
    }

    /// <summary>Queues a delivery for another attempt now, unless it is unknown or an attempt is under way.</summary>
    public async Task<CardResult<WebhookDelivery>> RedeliverAsync(string id, string deliveryId, CancellationToken ct) =>
        await store.RedeliverWebhookAsync(id, deliveryId, ct).ConfigureAwait(false) is { } d
            ? d
            : new CardError(CardErrorKind.NotFound,
                $"No delivery {deliveryId} of webhook {id} that can be sent again (unknown, or an attempt is under way).");

    private static CardError NotFound(string id) => new(CardErrorKind.NotFound, $"No webhook {id}.");

    private static string? Validate(string? raw, IReadOnlyList<string>? events, WebhookOptions options)
    {
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            return "url must be an absolute http or https URL.";
        if (url.UserInfo.Length > 0 || url.Fragment.Length > 0)
            return "url must carry no user name, password or fragment.";
        // A literal address is judged now; a name is resolved and judged at every delivery (ReceiverClient).
        if (!options.AllowPrivateAddresses && IPAddress.TryParse(url.DnsSafeHost, out var ip) && !ReceiverAddresses.IsPublic(ip))
            return $"url points at {url.DnsSafeHost}, a loopback or private address; webhooks go to public addresses only (Webhooks:AllowPrivateAddresses).";
        if (events is not { Count: > 0 })
            return "events must name at least one of: " + string.Join(", ", OutboxEventTypes.All) + ".";
        var unknown = events.Where(e => !OutboxEventTypes.All.Contains(e)).ToList();
        if (unknown.Count > 0)
            return $"Unknown event type(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", OutboxEventTypes.All)}.";
        return null;
    }
}
