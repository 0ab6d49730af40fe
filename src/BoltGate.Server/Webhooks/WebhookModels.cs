using BoltGate.Storage.Webhooks;

namespace BoltGate.Server.Webhooks;

public sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string>? Events);

/// <summary>A new webhook with its signing secret (<c>whsec_...</c>), shown in this answer only.</summary>
public sealed record WebhookCreatedResponse(string Id, string Url, IReadOnlyList<string> Events, string Secret, DateTimeOffset CreatedAt);

public sealed record WebhookResponse(string Id, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt)
{
    public static WebhookResponse From(Webhook w) => new(w.Id, w.Url, w.Events, w.CreatedAt);
}

public sealed record DeliveryAttemptResponse(DateTimeOffset At, int? Status, string? Error, long DurationMs);

/// <summary>One event for one webhook: <c>webhookMessageId</c> is the <c>webhook-id</c> header the receiver saw.</summary>
public sealed record DeliveryResponse(
    string Id,
    string WebhookId,
    string WebhookMessageId,
    long EventId,
    string EventType,
    string State,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    int? LastStatus,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt,
    IReadOnlyList<DeliveryAttemptResponse>? AttemptLog)
{
    public static DeliveryResponse From(WebhookDelivery d, IReadOnlyList<DeliveryAttempt>? log = null) => new(d.Id, d.WebhookId,
        "evt_" + d.EventId.ToString(System.Globalization.CultureInfo.InvariantCulture), d.EventId, d.EventType, d.State.ToString(), d.Attempts,
        d.State == DeliveryState.Pending ? d.NextAttemptAt : null, d.LastStatus, d.LastError, d.CreatedAt, d.DeliveredAt,
        log?.Select(a => new DeliveryAttemptResponse(a.At, a.Status, a.Error, (long)a.Duration.TotalMilliseconds)).ToList());
}
