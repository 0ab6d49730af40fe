using System.Text.Json;
using BoltGate.Storage.Outbox;
using BoltGate.Storage.Webhooks;
using Dapper;

namespace BoltGate.Storage;

/// <summary>
/// Webhooks: receivers, the fan-out of outbox events into one delivery per (webhook, event) — a unique
/// pair, so an event reaches a webhook once however often the fan-out runs — and the claim of due
/// deliveries under a lease (PostgreSQL also skips rows another instance has locked), so with several
/// instances on one database each attempt is made by one of them.
/// </summary>
public sealed partial class BoltGateStore
{
    public Task<Webhook> CreateWebhookAsync(string url, IReadOnlyList<string> events, byte[] secret, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(secret);
        return WriteAsync(async (c, tx) =>
        {
            var id = "wh_" + NewId();
            var now = NowMs();
            // Only what happens after its creation: the newest event id now is where it starts.
            var from = await c.ExecuteScalarAsync<long?>(Cmd("SELECT MAX(id) FROM outbox_events", null, tx, ct)).ConfigureAwait(false) ?? 0;
            await c.ExecuteAsync(Cmd(
                $"INSERT INTO webhooks (id, url, events, secret_encrypted, from_event_id, created_at) VALUES (@id, @url, {_engine.TextAsJson("@events")}, @blob, @from, @now)",
                new { id, url, events = JsonSerializer.Serialize(events), blob = _cipher.Encrypt(id, secret), from, now }, tx, ct)).ConfigureAwait(false);
            return (new Webhook(id, url, events.ToList(), secret, ColumnValues.Time(now)), true);
        }, ct);
    }

    public Task<IReadOnlyList<Webhook>> ListWebhooksAsync(CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<Webhook>>(async c => (await c.QueryAsync<WebhookRow>(Cmd(
            $"SELECT {WebhookRow.Columns(_engine)} FROM webhooks WHERE deleted_at IS NULL ORDER BY created_at, id", null, null, ct))
            .ConfigureAwait(false)).Select(r => r.ToWebhook(_cipher)).ToList(), ct);

    public Task<Webhook?> GetWebhookAsync(string id, CancellationToken ct = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<WebhookRow>(Cmd(
            $"SELECT {WebhookRow.Columns(_engine)} FROM webhooks WHERE id = @id AND deleted_at IS NULL", new { id }, null, ct))
            .ConfigureAwait(false))?.ToWebhook(_cipher), ct);

    /// <summary>Deletes a webhook: it hears nothing more and its pending deliveries are dropped (marked Failed). False when unknown.</summary>
    public Task<bool> DeleteWebhookAsync(string id, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var now = NowMs();
            var n = await c.ExecuteAsync(Cmd("UPDATE webhooks SET deleted_at = @now WHERE id = @id AND deleted_at IS NULL", new { id, now }, tx, ct))
                .ConfigureAwait(false);
            if (n == 0)
                return (false, false);
            await c.ExecuteAsync(Cmd(
                "UPDATE webhook_deliveries SET state = 'Failed', last_error = 'webhook deleted', lease_owner = NULL, lease_until = NULL " +
                "WHERE webhook_id = @id AND state = 'Pending'", new { id }, tx, ct)).ConfigureAwait(false);
            return (true, true);
        }, ct);

    /// <summary>
    /// Turns up to <paramref name="limit"/> new outbox events into deliveries for the webhooks that want
    /// them, and moves the shared cursor past them, in one transaction. Returns how many events it read.
    /// </summary>
    public Task<int> FanOutWebhookEventsAsync(int limit, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var cursor = await c.ExecuteScalarAsync<long>(Cmd($"SELECT last_event_id FROM webhook_cursor WHERE id = 1{_engine.ForUpdate}", null, tx, ct))
                .ConfigureAwait(false);
            var events = (await c.QueryAsync<(long Id, string Type)>(Cmd(
                "SELECT id, type FROM outbox_events WHERE id > @cursor ORDER BY id LIMIT @limit", new { cursor, limit = (long)limit }, tx, ct))
                .ConfigureAwait(false)).ToList();
            if (events.Count == 0)
                return (0, false);
            var hooks = (await c.QueryAsync<WebhookRow>(Cmd(
                $"SELECT {WebhookRow.Columns(_engine)} FROM webhooks WHERE deleted_at IS NULL", null, tx, ct)).ConfigureAwait(false))
                .Select(r => (r.Id, r.FromEventId, Events: JsonSerializer.Deserialize<string[]>(r.Events) ?? [])).ToList();
            var now = NowMs();
            foreach (var e in events)
            {
                foreach (var hook in hooks.Where(h => e.Id > h.FromEventId && h.Events.Contains(e.Type, StringComparer.Ordinal)))
                {
                    await c.ExecuteAsync(Cmd(
                        "INSERT INTO webhook_deliveries (id, webhook_id, event_id, state, attempts, next_attempt_at, created_at) " +
                        "VALUES (@id, @webhookId, @eventId, 'Pending', 0, @now, @now) ON CONFLICT DO NOTHING",
                        new { id = "dlv_" + NewId(), webhookId = hook.Id, eventId = e.Id, now }, tx, ct)).ConfigureAwait(false);
                }
            }
            await c.ExecuteAsync(Cmd("UPDATE webhook_cursor SET last_event_id = @last WHERE id = 1", new { last = events[^1].Id }, tx, ct))
                .ConfigureAwait(false);
            return (events.Count, true);
        }, ct);

    /// <summary>Claims up to <paramref name="limit"/> due deliveries for <paramref name="owner"/> for <paramref name="leaseFor"/>.</summary>
    public Task<IReadOnlyList<DueDelivery>> ClaimWebhookDeliveriesAsync(string owner, TimeSpan leaseFor, int limit, CancellationToken ct = default) =>
        WriteAsync<IReadOnlyList<DueDelivery>>(async (c, tx) =>
        {
            var now = NowMs();
            var until = now + (long)leaseFor.TotalMilliseconds;
            const string due = "state = 'Pending' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)";
            var ids = (await c.QueryAsync<string>(Cmd(
                "UPDATE webhook_deliveries SET lease_owner = @owner, lease_until = @until " +
                $"WHERE id IN (SELECT id FROM webhook_deliveries WHERE {due} ORDER BY next_attempt_at, id LIMIT @limit{_engine.ForUpdateSkipLocked}) " +
                $"AND {due} RETURNING id",
                new { owner, until, now, limit = (long)limit }, tx, ct)).ConfigureAwait(false)).ToList();
            if (ids.Count == 0)
                return ([], true);
            var rows = await c.QueryAsync<DueRow>(Cmd(
                $"SELECT d.id, d.attempts, d.created_at, w.id AS webhook_id, w.url, {_engine.JsonAsText("w.events")} AS events, w.secret_encrypted, " +
                "w.created_at AS webhook_created_at, e.id AS event_id, e.type AS event_type, " +
                $"e.occurred_at AS event_occurred_at, e.subject_id AS event_subject_id, {_engine.JsonAsText("e.payload")} AS event_payload " +
                "FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN outbox_events e ON e.id = d.event_id " +
                "WHERE d.lease_owner = @owner AND d.lease_until = @until AND d.state = 'Pending' ORDER BY e.id",
                new { owner, until }, tx, ct)).ConfigureAwait(false);
            return (rows.Select(r => r.ToDue(_cipher)).ToList(), true);
        }, ct);

    /// <summary>
    /// Writes one attempt to the delivery log and its effect: delivered, another attempt at
    /// <paramref name="retryAt"/>, or given up (null <paramref name="retryAt"/> without success). Only the lease owner can.
    /// </summary>
    public Task<bool> RecordWebhookAttemptAsync(string deliveryId, string owner, DeliveryAttempt attempt, bool delivered, DateTimeOffset? retryAt,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return WriteAsync(async (c, tx) =>
        {
            var state = delivered ? "Delivered" : retryAt is null ? "Failed" : "Pending";
            var n = await c.ExecuteAsync(Cmd(
                "UPDATE webhook_deliveries SET state = @state, attempts = attempts + 1, last_status = @status, last_error = @error, " +
                "next_attempt_at = COALESCE(@retryAt, next_attempt_at), delivered_at = @deliveredAt, lease_owner = NULL, lease_until = NULL " +
                "WHERE id = @deliveryId AND lease_owner = @owner AND state = 'Pending'",
                new
                {
                    state,
                    status = (long?)attempt.Status,
                    error = attempt.Error,
                    retryAt = retryAt is { } r ? ColumnValues.Ms(r) : (long?)null,
                    deliveredAt = delivered ? ColumnValues.Ms(attempt.At) : (long?)null,
                    deliveryId,
                    owner,
                }, tx, ct)).ConfigureAwait(false);
            if (n == 0)
                return (false, false);
            await c.ExecuteAsync(Cmd(
                "INSERT INTO webhook_attempts (delivery_id, attempted_at, status, error, duration_ms) VALUES (@deliveryId, @at, @status, @error, @ms)",
                new { deliveryId, at = ColumnValues.Ms(attempt.At), status = (long?)attempt.Status, error = attempt.Error, ms = (long)attempt.Duration.TotalMilliseconds },
                tx, ct)).ConfigureAwait(false);
            return (true, true);
        }, ct);
    }

    /// <summary>A webhook's deliveries, newest first.</summary>
    public Task<IReadOnlyList<WebhookDelivery>> ListWebhookDeliveriesAsync(string webhookId, int limit, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<WebhookDelivery>>(async c => (await c.QueryAsync<DeliveryRow>(Cmd(
            $"SELECT {DeliveryRow.Columns} FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id " +
            "WHERE d.webhook_id = @webhookId ORDER BY d.event_id DESC LIMIT @limit",
            new { webhookId, limit = (long)limit }, null, ct)).ConfigureAwait(false)).Select(r => r.ToDelivery()).ToList(), ct);

    /// <summary>A delivery's attempts, oldest first.</summary>
    public Task<IReadOnlyList<DeliveryAttempt>> ListWebhookAttemptsAsync(string deliveryId, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<DeliveryAttempt>>(async c => (await c.QueryAsync<(long At, long? Status, string? Error, long Ms)>(Cmd(
            "SELECT attempted_at, status, error, duration_ms FROM webhook_attempts WHERE delivery_id = @deliveryId ORDER BY id",
            new { deliveryId }, null, ct)).ConfigureAwait(false))
            .Select(a => new DeliveryAttempt(ColumnValues.Time(a.At), (int?)a.Status, a.Error, TimeSpan.FromMilliseconds(a.Ms))).ToList(), ct);

    /// <summary>Queues a delivery of a live webhook for another attempt now (same webhook-id); false when there is no such delivery.</summary>
    public Task<WebhookDelivery?> RedeliverWebhookAsync(string webhookId, string deliveryId, CancellationToken ct = default) =>
        WriteAsync<WebhookDelivery?>(async (c, tx) =>
        {
            var now = NowMs();
            var n = await c.ExecuteAsync(Cmd(
                "UPDATE webhook_deliveries SET state = 'Pending', next_attempt_at = @now, created_at = @now, lease_owner = NULL, lease_until = NULL " +
                "WHERE id = @deliveryId AND webhook_id = @webhookId AND (state <> 'Pending' OR lease_until IS NULL OR lease_until <= @now) " +
                "AND EXISTS (SELECT 1 FROM webhooks w WHERE w.id = @webhookId AND w.deleted_at IS NULL)",
                new { deliveryId, webhookId, now }, tx, ct)).ConfigureAwait(false);
            if (n == 0)
                return (null, false);
            var row = await c.QuerySingleAsync<DeliveryRow>(Cmd(
                $"SELECT {DeliveryRow.Columns} FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id WHERE d.id = @deliveryId",
                new { deliveryId }, tx, ct)).ConfigureAwait(false);
            return (row.ToDelivery(), true);
        }, ct);

    /// <summary>Deliveries still waiting to be accepted (the webhook backlog metric), and outbox events not yet fanned out.</summary>
    public Task<long> WebhookBacklogAsync(CancellationToken ct = default) =>
        ReadAsync(c => c.ExecuteScalarAsync<long>(Cmd("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'Pending'", null, null, ct)), ct);

    private sealed class WebhookRow
    {
        public static string Columns(Engines.SqlEngine engine) =>
            $"id, url, {engine.JsonAsText("events")} AS events, secret_encrypted, from_event_id, created_at";

        public string Id { get; set; } = "";
        public string Url { get; set; } = "";
        public string Events { get; set; } = "[]";
        public byte[] SecretEncrypted { get; set; } = [];
        public long FromEventId { get; set; }
        public long CreatedAt { get; set; }

        public Webhook ToWebhook(Cards.CardKeyCipher cipher) =>
            new(Id, Url, JsonSerializer.Deserialize<string[]>(Events) ?? [], cipher.Decrypt(Id, SecretEncrypted), ColumnValues.Time(CreatedAt));
    }

    private sealed class DueRow
    {
        public string Id { get; set; } = "";
        public long Attempts { get; set; }
        public long CreatedAt { get; set; }
        public string WebhookId { get; set; } = "";
        public string Url { get; set; } = "";
        public string Events { get; set; } = "[]";
        public byte[] SecretEncrypted { get; set; } = [];
        public long WebhookCreatedAt { get; set; }
        public long EventId { get; set; }
        public string EventType { get; set; } = "";
        public long EventOccurredAt { get; set; }
        public string EventSubjectId { get; set; } = "";
        public string EventPayload { get; set; } = "";

        public DueDelivery ToDue(Cards.CardKeyCipher cipher) => new(Id,
            new Webhook(WebhookId, Url, JsonSerializer.Deserialize<string[]>(Events) ?? [], cipher.Decrypt(WebhookId, SecretEncrypted),
                ColumnValues.Time(WebhookCreatedAt)),
            new OutboxEvent(EventId, EventType, ColumnValues.Time(EventOccurredAt), EventSubjectId, EventPayload), (int)Attempts, ColumnValues.Time(CreatedAt));
    }

    private sealed class DeliveryRow
    {
        public const string Columns =
            "d.id, d.webhook_id, d.event_id, e.type AS event_type, d.state, d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.created_at, d.delivered_at";

        public string Id { get; set; } = "";
        public string WebhookId { get; set; } = "";
        public long EventId { get; set; }
        public string EventType { get; set; } = "";
        public string State { get; set; } = "";
        public long Attempts { get; set; }
        public long NextAttemptAt { get; set; }
        public long? LastStatus { get; set; }
        public string? LastError { get; set; }
        public long CreatedAt { get; set; }
        public long? DeliveredAt { get; set; }

        public WebhookDelivery ToDelivery() => new(Id, WebhookId, EventId, EventType, Enum.Parse<DeliveryState>(State), (int)Attempts,
            ColumnValues.Time(NextAttemptAt), (int?)LastStatus, LastError, ColumnValues.Time(CreatedAt), ColumnValues.Time(DeliveredAt));
    }
}
