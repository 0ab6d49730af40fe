namespace BoltGate.Client;

public sealed record TopupRequest(long AmountSat);

/// <summary>A Lightning top-up: the invoice to pay (<see cref="Bolt11"/>, a QR code of it as SVG on creation) and its state (Open, Paid, Expired).</summary>
public sealed record Topup(
    string Id,
    string CardId,
    long AmountSat,
    string State,
    string Bolt11,
    string PaymentHash,
    string? QrSvg,
    long? ReceivedMsat,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? PaidAt);

public sealed record WebhookRequest(string Url, IReadOnlyList<string> Events);

/// <summary>A webhook; <see cref="Secret"/> (<c>whsec_...</c>) is only in the answer that created it.</summary>
public sealed record Webhook(string Id, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt, string? Secret = null);

public sealed record WebhookAttempt(DateTimeOffset At, int? Status, string? Error, long DurationMs);

/// <summary>One event for one webhook; <see cref="WebhookMessageId"/> is the <c>webhook-id</c> the receiver saw.</summary>
public sealed record WebhookDelivery(
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
    IReadOnlyList<WebhookAttempt>? AttemptLog);
