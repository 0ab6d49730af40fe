using System.Data.Common;
using BoltGate.Core.Money;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Ledger;
using Dapper;

namespace BoltGate.Storage;

/// <summary>
/// Credits and debits under an Idempotency-Key: the key, its request's fingerprint and the answer are
/// written in the same transaction as the ledger entry. The key's row is inserted first, so a second
/// request with the same key waits for the first (a row lock on PostgreSQL, the writer on SQLite) and
/// then finds it. Refusals (unknown card, too low a balance) change nothing and keep no key: a retry
/// runs again.
/// </summary>
public sealed partial class BoltGateStore
{
    public Task<Once<CreditResult>> CreditOnceAsync(string cardId, Msat amount, string? note, IdempotencyClaim claim, CancellationToken ct = default)
    {
        if (!amount.IsPositive || amount > MaxBalance)
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A credit must be positive and at most the maximum balance.");
        return OnceAsync<CreditResult>(claim, cardId, async (c, tx, now) =>
        {
            var result = await CreditInAsync(c, tx, cardId, amount, note, now, ct).ConfigureAwait(false);
            return (result, (result as CreditResult.Done)?.Card);
        }, ct);
    }

    public Task<Once<DebitResult>> DebitOnceAsync(string cardId, Msat amount, string? note, IdempotencyClaim claim, CancellationToken ct = default)
    {
        if (!amount.IsPositive)
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A debit must be positive.");
        return OnceAsync<DebitResult>(claim, cardId, async (c, tx, now) =>
        {
            var result = await DebitInAsync(c, tx, cardId, amount, note, now, ct).ConfigureAwait(false);
            return (result, (result as DebitResult.Done)?.Card);
        }, ct);
    }

    private Task<Once<T>> OnceAsync<T>(IdempotencyClaim claim, string cardId,
        Func<DbConnection, DbTransaction, long, Task<(T Result, Card? Done)>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return WriteAsync<Once<T>>(async (c, tx) =>
        {
            var now = NowMs();
            if (await FindKeyAsync<T>(c, tx, claim, ct).ConfigureAwait(false) is { } earlier)
                return (earlier, false);
            // Only existing cards can hold a key (foreign key); an unknown card is the work's own refusal.
            var claimed = await c.ExecuteAsync(Cmd(
                "INSERT INTO idempotency_keys (key, fingerprint, card_id, answer, created_at) " +
                "SELECT @Key, @Fingerprint, id, '', @now FROM cards WHERE id = @cardId ON CONFLICT DO NOTHING",
                new { claim.Key, claim.Fingerprint, cardId, now }, tx, ct)).ConfigureAwait(false);
            if (claimed == 0 && await FindKeyAsync<T>(c, tx, claim, ct).ConfigureAwait(false) is { } raced)
                return (raced, false);
            var (result, done) = await work(c, tx, now).ConfigureAwait(false);
            if (done is null)
                return (new Once<T>.Ran(result, null), false);
            var used = new Msat(await c.ExecuteScalarAsync<long?>(Cmd(
                "SELECT used_msat FROM daily_usage WHERE card_id = @cardId AND day = @day",
                new { cardId, day = ColumnValues.Day(ColumnValues.Time(now)) }, tx, ct)).ConfigureAwait(false) ?? 0);
            var answer = claim.Answer(done, used);
            await c.ExecuteAsync(Cmd("UPDATE idempotency_keys SET answer = @answer WHERE key = @Key", new { answer, claim.Key }, tx, ct))
                .ConfigureAwait(false);
            return (new Once<T>.Ran(result, answer), true);
        }, ct);
    }

    private static async Task<Once<T>?> FindKeyAsync<T>(DbConnection c, DbTransaction tx, IdempotencyClaim claim, CancellationToken ct)
    {
        var found = await c.QuerySingleOrDefaultAsync<KeyRow>(Cmd(
            "SELECT fingerprint, answer FROM idempotency_keys WHERE key = @Key", new { claim.Key }, tx, ct)).ConfigureAwait(false);
        if (found is null)
            return null;
        return found.Fingerprint == claim.Fingerprint ? new Once<T>.Replayed(found.Answer) : new Once<T>.KeyReused();
    }

    private sealed class KeyRow
    {
        public string Fingerprint { get; set; } = "";
        public string Answer { get; set; } = "";
    }
}
