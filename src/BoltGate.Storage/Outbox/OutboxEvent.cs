namespace BoltGate.Storage.Outbox;

/// <summary>
/// One state change, as written in the same transaction as the change: <see cref="Id"/> orders the events
/// (read on after it), <see cref="SubjectId"/> is the card or withdrawal it is about, <see cref="Payload"/>
/// a small JSON object (ids, amounts in msat).
/// </summary>
public sealed record OutboxEvent(long Id, string Type, DateTimeOffset OccurredAt, string SubjectId, string Payload);
