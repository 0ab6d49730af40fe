using System.Globalization;
using System.Text.Json.Nodes;
using BoltGate.Storage.Outbox;

namespace BoltGate.Server.Webhooks;

/// <summary>
/// What a receiver gets for one outbox event: <c>webhook-id</c> <c>evt_{event id}</c> (the same on every
/// attempt and for every webhook, so a receiver de-duplicates on it) and the Standard Webhooks body
/// <c>{"type","timestamp","data"}</c> — the event type, when it happened (ISO 8601 UTC) and its payload.
/// </summary>
public static class WebhookMessage
{
    public static string Id(OutboxEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return "evt_" + e.Id.ToString(CultureInfo.InvariantCulture);
    }

    public static string Body(OutboxEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new JsonObject
        {
            ["type"] = e.Type,
            ["timestamp"] = e.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["data"] = JsonNode.Parse(e.Payload),
        }.ToJsonString();
    }
}
