using BoltGate.Storage.Outbox;

namespace BoltGate.Storage.Webhooks;

/// <summary>A webhook receiver: its URL and the event types it hears. <see cref="Secret"/> signs its deliveries (never shown again).</summary>
public sealed record Webhook(string Id, string Url, IReadOnlyList<string> Events, byte[] Secret, DateTimeOffset CreatedAt);

/// <summary>Where a delivery stands: waiting for an attempt, accepted by the receiver (2xx), or given up on after a day of retries.</summary>
public enum DeliveryState
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>One event for one webhook: its attempts so far and the last answer (HTTP status or why there was none).</summary>
public sealed record WebhookDelivery(
    string Id,
    string WebhookId,
    long EventId,
    string EventType,
    DeliveryState State,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    int? LastStatus,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt);

/// <summary>A delivery claimed by one instance for one attempt: where to send what, signed with which secret.</summary>
public sealed record DueDelivery(string Id, Webhook Webhook, OutboxEvent Event, int Attempts, DateTimeOffset CreatedAt);

/// <summary>One attempt of the delivery log.</summary>
public sealed record DeliveryAttempt(DateTimeOffset At, int? Status, string? Error, TimeSpan Duration);
