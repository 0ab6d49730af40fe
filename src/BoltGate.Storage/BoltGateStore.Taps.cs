using BoltGate.Storage.Sessions;
using Dapper;

namespace BoltGate.Storage;

/// <summary>Taps and their k1 sessions: the LNURL offer a verified tap gets, and its look-up.</summary>
public sealed partial class BoltGateStore
{
    /// <summary>
    /// Makes the LNURL offer for a verified tap. Nothing is consumed here (BTCPay's choice): the counter
    /// and the k1 are consumed by the callback's transaction, so a terminal may repeat the same tap and
    /// gets the same k1 back (a fresh one if the old offer expired) until a callback uses it. A counter
    /// at or below the card's last consumed one is a replay.
    /// </summary>
    public Task<OfferResult> OfferAsync(string cardId, long counter, TimeSpan ttl, CancellationToken ct = default) =>
        WriteAsync<OfferResult>(async (c, tx) =>
        {
            var now = NowMs();
            var expires = now + (long)ttl.TotalMilliseconds;
            // The usual tap, a fresh counter above the card's: one statement writes and returns the offer.
            var fresh = await c.QuerySingleOrDefaultAsync<SessionRow>(Cmd(
                "INSERT INTO k1_sessions (k1, card_id, counter, created_at, expires_at) SELECT @k1, @cardId, @counter, @now, @expires " +
                "WHERE EXISTS (SELECT 1 FROM cards WHERE id = @cardId AND counter < @counter) " +
                $"ON CONFLICT DO NOTHING RETURNING {SessionRow.Columns}",
                new { k1 = NewId(), cardId, counter, now, expires }, tx, ct)).ConfigureAwait(false);
            if (fresh is not null)
                return (new OfferResult.Offered(fresh.ToSession()), true);

            // Otherwise: an unknown card, a replay, or this tap repeated (its offer again, or a fresh k1 if it expired).
            var cardCounter = await c.ExecuteScalarAsync<long?>(Cmd(
                "SELECT counter FROM cards WHERE id = @cardId", new { cardId }, tx, ct)).ConfigureAwait(false);
            if (cardCounter is null)
                return (new OfferResult.CardNotFound(), false);
            if (counter <= cardCounter)
                return (new OfferResult.Replay(), false);

            var inserted = await c.ExecuteAsync(Cmd(
                "INSERT INTO k1_sessions (k1, card_id, counter, created_at, expires_at) VALUES (@k1, @cardId, @counter, @now, @expires) " +
                "ON CONFLICT DO NOTHING",
                new { k1 = NewId(), cardId, counter, now, expires }, tx, ct)).ConfigureAwait(false);
            var session = await GetSessionAsync(c, tx, cardId, counter, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The k1 session vanished inside its own transaction.");
            if (inserted == 1)
                return (new OfferResult.Offered(session), true);
            if (session.IsConsumed)
                return (new OfferResult.Replay(), false);
            if (!session.IsExpired(_time.GetUtcNow()))
                return (new OfferResult.Offered(session), false);

            // Same tap after its offer expired: a fresh k1, so the stale one cannot be used any more.
            await c.ExecuteAsync(Cmd(
                "UPDATE k1_sessions SET k1 = @k1, created_at = @now, expires_at = @expires " +
                "WHERE card_id = @cardId AND counter = @counter AND consumed_at IS NULL",
                new { k1 = NewId(), cardId, counter, now, expires }, tx, ct)).ConfigureAwait(false);
            var renewed = await GetSessionAsync(c, tx, cardId, counter, ct).ConfigureAwait(false);
            return (new OfferResult.Offered(renewed!), true);
        }, ct);

    public Task<K1Session?> GetSessionAsync(string k1, CancellationToken ct = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<SessionRow>(Cmd(
            $"SELECT {SessionRow.Columns} FROM k1_sessions WHERE k1 = @k1", new { k1 }, null, ct)).ConfigureAwait(false))?.ToSession(), ct);

    private static async Task<K1Session?> GetSessionAsync(
        System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string cardId, long counter, CancellationToken ct) =>
        (await c.QuerySingleOrDefaultAsync<SessionRow>(Cmd(
            $"SELECT {SessionRow.Columns} FROM k1_sessions WHERE card_id = @cardId AND counter = @counter",
            new { cardId, counter }, tx, ct)).ConfigureAwait(false))?.ToSession();
}
