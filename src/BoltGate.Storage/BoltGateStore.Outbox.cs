using System.Data.Common;
using System.Text.Json.Nodes;
using BoltGate.Storage.Outbox;
using Dapper;

namespace BoltGate.Storage;

/// <summary>
/// The outbox: each state change another system may want to hear about writes one event in the same
/// transaction (so a rolled-back change leaves none), and readers page through them by id. Delivery
/// (webhooks) reads from here; the store only keeps the events.
/// </summary>
public sealed partial class BoltGateStore
{
    /// <summary>Up to <paramref name="limit"/> events with an id above <paramref name="after"/> (0: from the start), oldest first.</summary>
    public Task<IReadOnlyList<OutboxEvent>> ListOutboxEventsAsync(long after, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ReadAsync<IReadOnlyList<OutboxEvent>>(async c => (await c.QueryAsync<OutboxRow>(Cmd(
            $"SELECT id, type, occurred_at, subject_id, {_engine.JsonAsText("payload")} AS payload FROM outbox_events " +
            "WHERE id > @after ORDER BY id LIMIT @limit",
            new { after, limit = (long)limit }, null, ct)).ConfigureAwait(false)).Select(r => r.ToEvent()).ToList(), ct);
    }

    /// <summary>
    /// Writes one event inside the caller's transaction. Call it last in the transaction: on PostgreSQL it
    /// takes the outbox lock, held to commit, so events commit in id order and a reader's cursor skips none.
    /// </summary>
    private async Task AppendEventAsync(
        DbConnection c, DbTransaction tx, string type, string subjectId, JsonObject payload, long now, CancellationToken ct)
    {
        await _engine.LockOutboxAsync(c, tx, ct).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(
            $"INSERT INTO outbox_events (type, occurred_at, subject_id, payload) VALUES (@type, @now, @subjectId, {_engine.TextAsJson("@payload")})",
            new { type, now, subjectId, payload = payload.ToJsonString() }, tx, ct)).ConfigureAwait(false);
    }

    private sealed class OutboxRow
    {
        public long Id { get; set; }
        public string Type { get; set; } = "";
        public long OccurredAt { get; set; }
        public string SubjectId { get; set; } = "";
        public string Payload { get; set; } = "";

        public OutboxEvent ToEvent() => new(Id, Type, ColumnValues.Time(OccurredAt), SubjectId, Payload);
    }
}
