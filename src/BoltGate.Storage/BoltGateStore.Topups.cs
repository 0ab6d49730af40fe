using System.Text.Json.Nodes;
using BoltGate.Core.Money;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Outbox;
using BoltGate.Storage.Topups;
using Dapper;

namespace BoltGate.Storage;

/// <summary>
/// Lightning top-ups: the invoice a top-up is waiting on, and the one credit its payment makes. The credit
/// (state Paid, the ledger entry carrying the payment hash under a unique index, the balance and the
/// <c>topup.paid</c> event) is one transaction, so however many watchers see the payment — two instances,
/// a restart that finds it paid — the card is credited once.
/// </summary>
public sealed partial class BoltGateStore
{
    /// <summary>Records an open top-up for an invoice the node created; null when the card is unknown.</summary>
    public Task<Topup?> CreateTopupAsync(string cardId, string paymentHashHex, string bolt11, Msat amount, DateTimeOffset expiresAt,
        CancellationToken ct = default)
    {
        if (!amount.IsPositive)
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A top-up must be positive.");
        return WriteAsync<Topup?>(async (c, tx) =>
        {
            var now = NowMs();
            var id = NewId();
            var n = await c.ExecuteAsync(Cmd(
                "INSERT INTO topups (id, card_id, payment_hash, bolt11, amount_msat, state, created_at, expires_at) " +
                "SELECT @id, id, @hash, @bolt11, @amount, 'Open', @now, @expiresAt FROM cards WHERE id = @cardId",
                new { id, cardId, hash = paymentHashHex.ToLowerInvariant(), bolt11, amount = amount.Value, now, expiresAt = ColumnValues.Ms(expiresAt) },
                tx, ct)).ConfigureAwait(false);
            if (n == 0)
                return (null, false);
            return (await QueryTopupAsync(c, tx, "id = @id", new { id }, ct).ConfigureAwait(false), true);
        }, ct);
    }

    public Task<Topup?> GetTopupAsync(string id, CancellationToken ct = default) =>
        ReadAsync(c => QueryTopupAsync(c, null, "id = @id", new { id }, ct), ct);

    /// <summary>A card's top-ups, newest first.</summary>
    public Task<IReadOnlyList<Topup>> ListTopupsAsync(string cardId, int limit, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<Topup>>(async c => (await c.QueryAsync<TopupRow>(Cmd(
            $"SELECT {TopupRow.Columns} FROM topups WHERE card_id = @cardId ORDER BY created_at DESC, id LIMIT @limit",
            new { cardId, limit = (long)limit }, null, ct)).ConfigureAwait(false)).Select(r => r.ToTopup()).ToList(), ct);

    /// <summary>Every top-up still waiting for its payment (the watcher's start-up list).</summary>
    public Task<IReadOnlyList<Topup>> ListOpenTopupsAsync(CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<Topup>>(async c => (await c.QueryAsync<TopupRow>(Cmd(
            $"SELECT {TopupRow.Columns} FROM topups WHERE state = 'Open' ORDER BY created_at", null, null, ct))
            .ConfigureAwait(false)).Select(r => r.ToTopup()).ToList(), ct);

    /// <summary>
    /// The node says the invoice was paid: credits the card with what it received, once. A top-up marked
    /// expired is still credited (the node's word wins: the money arrived).
    /// </summary>
    public Task<TopupPaidResult> MarkTopupPaidAsync(string paymentHashHex, Msat received, DateTimeOffset paidAt, CancellationToken ct = default)
    {
        if (!received.IsPositive)
            throw new ArgumentOutOfRangeException(nameof(received), received, "A paid top-up received something.");
        var hash = paymentHashHex.ToLowerInvariant();
        return WriteAsync(async (c, tx) =>
        {
            var now = NowMs();
            var topup = await QueryTopupAsync(c, tx, "payment_hash = @hash", new { hash }, ct, lockRow: true).ConfigureAwait(false);
            if (topup is null)
                return (TopupPaidResult.NotFound, false);
            var n = await c.ExecuteAsync(Cmd(
                "UPDATE topups SET state = 'Paid', received_msat = @received, paid_at = @paidAt WHERE payment_hash = @hash AND state <> 'Paid'",
                new { hash, received = received.Value, paidAt = ColumnValues.Ms(paidAt) }, tx, ct)).ConfigureAwait(false);
            if (n == 0)
                return (TopupPaidResult.AlreadyCredited, false);
            await CreditBalanceAsync(c, tx, topup.CardId, received, now, ct).ConfigureAwait(false);
            // The unique index on ledger.payment_hash is the last word: a second credit cannot commit.
            await c.ExecuteAsync(Cmd(
                "INSERT INTO ledger (card_id, kind, amount_msat, note, payment_hash, created_at) VALUES (@cardId, @kind, @amount, @note, @hash, @now)",
                new { cardId = topup.CardId, kind = ColumnValues.LedgerKind(LedgerKind.TopUp), amount = received.Value, note = "lightning top-up " + topup.Id, hash, now },
                tx, ct)).ConfigureAwait(false);
            var card = await GetCardAsync(c, tx, topup.CardId, ct).ConfigureAwait(false);
            await AppendEventAsync(c, tx, OutboxEventTypes.TopupPaid, topup.Id, new JsonObject
            {
                ["topup_id"] = topup.Id,
                ["card_id"] = topup.CardId,
                ["amount_msat"] = received.Value,
                ["balance_msat"] = card!.Balance.Value,
                ["payment_hash"] = hash,
            }, now, ct).ConfigureAwait(false);
            return (TopupPaidResult.Credited, true);
        }, ct);
    }

    /// <summary>Marks an open top-up expired (the node says its invoice expired or was canceled); false when it was not open.</summary>
    public Task<bool> MarkTopupExpiredAsync(string paymentHashHex, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var n = await c.ExecuteAsync(Cmd("UPDATE topups SET state = 'Expired' WHERE payment_hash = @hash AND state = 'Open'",
                new { hash = paymentHashHex.ToLowerInvariant() }, tx, ct)).ConfigureAwait(false);
            return (n == 1, n == 1);
        }, ct);

    private async Task<Topup?> QueryTopupAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? tx, string where, object args,
        CancellationToken ct, bool lockRow = false) =>
        (await c.QuerySingleOrDefaultAsync<TopupRow>(Cmd(
            $"SELECT {TopupRow.Columns} FROM topups WHERE {where}{(lockRow ? _engine.ForUpdate : "")}", args, tx, ct)).ConfigureAwait(false))?.ToTopup();

    private sealed class TopupRow
    {
        public const string Columns = "id, card_id, payment_hash, bolt11, amount_msat, state, received_msat, created_at, expires_at, paid_at";

        public string Id { get; set; } = "";
        public string CardId { get; set; } = "";
        public string PaymentHash { get; set; } = "";
        public string Bolt11 { get; set; } = "";
        public long AmountMsat { get; set; }
        public string State { get; set; } = "";
        public long? ReceivedMsat { get; set; }
        public long CreatedAt { get; set; }
        public long ExpiresAt { get; set; }
        public long? PaidAt { get; set; }

        public Topup ToTopup() => new(Id, CardId, PaymentHash, Bolt11, new Msat(AmountMsat), Enum.Parse<TopupState>(State),
            ColumnValues.ToMsat(ReceivedMsat), ColumnValues.Time(CreatedAt), ColumnValues.Time(ExpiresAt), ColumnValues.Time(PaidAt));
    }
}
