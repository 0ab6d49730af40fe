using System.Data.Common;
using System.Text.Json.Nodes;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Outbox;
using BoltGate.Storage.Programming;
using Dapper;

namespace BoltGate.Storage;

/// <summary>
/// Card programming (Bolt Card Programmer links): one-time codes and what redeeming one does. Each
/// redemption spends the code and changes the card in ONE transaction, through a conditional UPDATE
/// on the code (<c>used_at IS NULL AND expires_at &gt; now</c>), so a code works once across instances
/// and a refused redemption leaves it unspent.
/// </summary>
public sealed partial class BoltGateStore
{
    /// <summary>
    /// Tap counters are 24-bit. When a card is re-keyed its chip counter restarts at 0, so the k1 sessions
    /// of the old key version move below zero, by (old version + 1) × 2^24: each generation keeps its own
    /// negative range and the new one starts from an empty [0, 2^24) under UNIQUE (card_id, counter).
    /// </summary>
    private const long CounterGeneration = 1L << 24;

    public Task CreateProgrammingCodeAsync(NewProgrammingCode code, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        return WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(Cmd(
                "INSERT INTO programming_codes (code_hash, name, per_tap_limit_msat, daily_limit_msat, uid_privacy, created_at, expires_at) " +
                "VALUES (@CodeHash, @Name, @PerTap, @Daily, @UidPrivacy, @Now, @Expires)",
                new
                {
                    code.CodeHash,
                    code.Grant.Name,
                    PerTap = ColumnValues.FromMsat(code.Grant.PerTapLimit),
                    Daily = ColumnValues.FromMsat(code.Grant.DailyLimit),
                    UidPrivacy = code.Grant.UidPrivacy ? 1L : 0L,
                    Now = NowMs(),
                    Expires = code.ExpiresAt.ToUnixTimeMilliseconds(),
                }, tx, ct)).ConfigureAwait(false);
            return (true, true);
        }, ct);
    }

    /// <summary>"Create bolt card": spends the code and creates the card <paramref name="card"/> makes from its grant.</summary>
    public Task<ProgrammingResult> RedeemForNewCardAsync(string codeHash, Func<ProgrammingGrant, NewCard> card, CancellationToken ct = default) =>
        WriteAsync<ProgrammingResult>(async (c, tx) =>
        {
            var (grant, refusal) = await ClaimCodeAsync(c, tx, codeHash, "create", ct).ConfigureAwait(false);
            if (grant is null)
                return (new ProgrammingResult.Refused(refusal!.Value), false);
            var created = await InsertCardAsync(c, tx, card(grant), ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException("A new card with fresh random id collided with an existing one.");
            await LinkCodeAsync(c, tx, codeHash, created.Id, ct).ConfigureAwait(false);
            return (new ProgrammingResult.Done(created, grant), true);
        }, ct);

    /// <summary>
    /// Deeplink program for a UID (deterministic card <paramref name="cardId"/>): creates it at key version
    /// 1, or re-keys a reset card at the next version (counter and k1 sessions start afresh, balance, PIN
    /// and limits stay, the card is enabled). An active card or an imported card with this UID is refused.
    /// </summary>
    public Task<ProgrammingResult> RedeemForProgramAsync(string codeHash, string cardId, string uidHex, CancellationToken ct = default) =>
        WriteAsync<ProgrammingResult>(async (c, tx) =>
        {
            var (grant, refusal) = await ClaimCodeAsync(c, tx, codeHash, "program", ct).ConfigureAwait(false);
            if (grant is null)
                return (new ProgrammingResult.Refused(refusal!.Value), false);
            var now = NowMs();
            var card = await GetCardAsync(c, tx, cardId, ct).ConfigureAwait(false);
            if (card is null)
            {
                card = await InsertCardAsync(c, tx, new NewCard(cardId, grant.Name, uidHex, 1, CardKeySource.Deterministic, null,
                    grant.PerTapLimit, grant.DailyLimit), ct).ConfigureAwait(false);
                if (card is null)
                    return (new ProgrammingResult.Refused(ProgrammingRefusal.CardImported), false);
            }
            else
            {
                var resetVersion = await c.ExecuteScalarAsync<long?>(Cmd(
                    $"SELECT key_version FROM card_resets WHERE card_id = @cardId{_engine.ForUpdate}", new { cardId }, tx, ct)).ConfigureAwait(false);
                if (resetVersion is null)
                    return (new ProgrammingResult.Refused(ProgrammingRefusal.CardActive), false);
                var oldVersion = Math.Max(card.KeyVersion, resetVersion.Value);
                await c.ExecuteAsync(Cmd(
                    "UPDATE k1_sessions SET counter = counter - @shift, " +
                    "expires_at = CASE WHEN consumed_at IS NULL AND expires_at > @now THEN @now ELSE expires_at END " +
                    "WHERE card_id = @cardId AND counter >= 0",
                    new { cardId, shift = (oldVersion + 1) * CounterGeneration, now }, tx, ct)).ConfigureAwait(false);
                await c.ExecuteAsync(Cmd(
                    "UPDATE cards SET key_version = @version, counter = -1, enabled = 1, updated_at = @now WHERE id = @cardId",
                    new { cardId, version = oldVersion + 1, now }, tx, ct)).ConfigureAwait(false);
                await c.ExecuteAsync(Cmd("DELETE FROM card_resets WHERE card_id = @cardId", new { cardId }, tx, ct)).ConfigureAwait(false);
                card = await GetCardAsync(c, tx, cardId, ct).ConfigureAwait(false);
            }
            await LinkCodeAsync(c, tx, codeHash, cardId, ct).ConfigureAwait(false);
            return (new ProgrammingResult.Done(card!, grant), true);
        }, ct);

    /// <summary>
    /// Deeplink reset after a verified tap: spends the code, consumes the tap's counter (as a payment
    /// would), disables the card and records it as reset at its key version. The balance stays.
    /// </summary>
    public Task<ProgrammingResult> RedeemForResetAsync(string codeHash, string cardId, long counter, CancellationToken ct = default) =>
        WriteAsync<ProgrammingResult>(async (c, tx) =>
        {
            var (grant, refusal) = await ClaimCodeAsync(c, tx, codeHash, "reset", ct).ConfigureAwait(false);
            if (grant is null)
                return (new ProgrammingResult.Refused(refusal!.Value), false);
            var now = NowMs();
            var n = await c.ExecuteAsync(Cmd(
                "UPDATE cards SET counter = @counter, enabled = 0, updated_at = @now WHERE id = @cardId AND counter < @counter",
                new { cardId, counter, now }, tx, ct)).ConfigureAwait(false);
            if (n == 0)
            {
                var exists = await GetCardAsync(c, tx, cardId, ct).ConfigureAwait(false) is not null;
                return (new ProgrammingResult.Refused(exists ? ProgrammingRefusal.Replay : ProgrammingRefusal.CardNotFound), false);
            }
            var card = await MarkResetAsync(c, tx, cardId, now, ct).ConfigureAwait(false);
            await LinkCodeAsync(c, tx, codeHash, cardId, ct).ConfigureAwait(false);
            return (new ProgrammingResult.Done(card!, grant), true);
        }, ct);

    /// <summary>The operator says the card was wiped another way (e.g. with its wipe JSON): disable it and record the reset.</summary>
    public Task<Card?> MarkResetAsync(string cardId, CancellationToken ct = default) =>
        WriteAsync<Card?>(async (c, tx) =>
        {
            var now = NowMs();
            var n = await c.ExecuteAsync(Cmd("UPDATE cards SET enabled = 0, updated_at = @now WHERE id = @cardId", new { cardId, now }, tx, ct))
                .ConfigureAwait(false);
            return n == 0 ? (null, false) : (await MarkResetAsync(c, tx, cardId, now, ct).ConfigureAwait(false), true);
        }, ct);

    /// <summary>When the card was reset (and is not programmed again since), else null.</summary>
    public Task<DateTimeOffset?> GetResetAtAsync(string cardId, CancellationToken ct = default) =>
        ReadAsync(async c => ColumnValues.Time(await c.ExecuteScalarAsync<long?>(Cmd(
            "SELECT reset_at FROM card_resets WHERE card_id = @cardId", new { cardId }, null, ct)).ConfigureAwait(false)), ct);

    private async Task<Card?> MarkResetAsync(DbConnection c, DbTransaction tx, string cardId, long now, CancellationToken ct)
    {
        await c.ExecuteAsync(Cmd(
            "INSERT INTO card_resets (card_id, key_version, reset_at) SELECT id, key_version, @now FROM cards WHERE id = @cardId " +
            "ON CONFLICT (card_id) DO UPDATE SET key_version = excluded.key_version, reset_at = excluded.reset_at",
            new { cardId, now }, tx, ct)).ConfigureAwait(false);
        var card = await GetCardAsync(c, tx, cardId, ct).ConfigureAwait(false);
        await AppendEventAsync(c, tx, OutboxEventTypes.CardWiped, cardId, new JsonObject
        {
            ["card_id"] = cardId,
            ["key_version"] = (long)card!.KeyVersion,
        }, now, ct).ConfigureAwait(false);
        return card;
    }

    private async Task<(ProgrammingGrant? Grant, ProgrammingRefusal? Refusal)> ClaimCodeAsync(
        DbConnection c, DbTransaction tx, string codeHash, string usedFor, CancellationToken ct)
    {
        var now = NowMs();
        var claimed = await c.QuerySingleOrDefaultAsync<ProgrammingCodeRow>(Cmd(
            "UPDATE programming_codes SET used_at = @now, used_for = @usedFor " +
            "WHERE code_hash = @codeHash AND used_at IS NULL AND expires_at > @now " +
            $"RETURNING {ProgrammingCodeRow.Columns}",
            new { codeHash, usedFor, now }, tx, ct)).ConfigureAwait(false);
        if (claimed is not null)
            return (claimed.ToGrant(), null);
        var row = await c.QuerySingleOrDefaultAsync<ProgrammingCodeRow>(Cmd(
            $"SELECT {ProgrammingCodeRow.Columns} FROM programming_codes WHERE code_hash = @codeHash", new { codeHash }, tx, ct)).ConfigureAwait(false);
        return (null, row is null ? ProgrammingRefusal.CodeUnknown
            : row.UsedAt is not null ? ProgrammingRefusal.CodeUsed
            : ProgrammingRefusal.CodeExpired);
    }

    private static Task LinkCodeAsync(DbConnection c, DbTransaction tx, string codeHash, string cardId, CancellationToken ct) =>
        c.ExecuteAsync(Cmd("UPDATE programming_codes SET card_id = @cardId WHERE code_hash = @codeHash", new { codeHash, cardId }, tx, ct));
}
