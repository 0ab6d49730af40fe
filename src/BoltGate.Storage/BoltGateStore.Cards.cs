using System.Text.Json.Nodes;
using BoltGate.Core.Money;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Outbox;
using BoltGate.Storage.Withdrawals;
using Dapper;

namespace BoltGate.Storage;

/// <summary>Cards and their keys: creation, look-up, the imported keys (encrypted at rest), settings, PIN tries.</summary>
public sealed partial class BoltGateStore
{
    /// <summary>Creates a card with a zero balance; null when its id or UID is taken.</summary>
    public Task<Card?> CreateCardAsync(NewCard card, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        return WriteAsync<Card?>(async (c, tx) =>
        {
            var created = await InsertCardAsync(c, tx, card, ct).ConfigureAwait(false);
            return (created, created is not null);
        }, ct);
    }

    /// <summary>The insert of <see cref="CreateCardAsync"/> inside the caller's transaction; null when the id or UID is taken.</summary>
    private async Task<Card?> InsertCardAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, NewCard card, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (card.KeySource == CardKeySource.Imported && card.ImportedKeys is not { Length: 80 })
            throw new ArgumentException("An imported card needs its five 16-byte keys (80 bytes).", nameof(card));
        if (card.KeySource == CardKeySource.Deterministic && card.ImportedKeys is not null)
            throw new ArgumentException("A deterministic card stores no keys.", nameof(card));
        var blob = card.ImportedKeys is null ? null : _cipher.Encrypt(card.Id, card.ImportedKeys);
        var now = NowMs();
        var inserted = await c.ExecuteAsync(Cmd(
            "INSERT INTO cards (id, name, uid, key_version, key_source, keys_encrypted, per_tap_limit_msat, daily_limit_msat, created_at, updated_at) " +
            "VALUES (@Id, @Name, @Uid, @KeyVersion, @KeySource, @Blob, @PerTap, @Daily, @Now, @Now) ON CONFLICT DO NOTHING",
            new
            {
                card.Id,
                card.Name,
                Uid = card.UidHex?.ToLowerInvariant(),
                KeyVersion = (long)card.KeyVersion,
                KeySource = ColumnValues.KeySource(card.KeySource),
                Blob = blob,
                PerTap = ColumnValues.FromMsat(card.PerTapLimit),
                Daily = ColumnValues.FromMsat(card.DailyLimit),
                Now = now,
            }, tx, ct)).ConfigureAwait(false);
        if (inserted == 0)
            return null;
        await AppendEventAsync(c, tx, OutboxEventTypes.CardCreated, card.Id, new JsonObject
        {
            ["card_id"] = card.Id,
            ["name"] = card.Name,
            ["key_source"] = ColumnValues.KeySource(card.KeySource),
            ["key_version"] = (long)card.KeyVersion,
        }, now, ct).ConfigureAwait(false);
        return await GetCardAsync(c, tx, card.Id, ct).ConfigureAwait(false);
    }

    public Task<Card?> GetCardAsync(string id, CancellationToken ct = default) =>
        ReadAsync(c => GetCardAsync(c, null, id, ct), ct);

    public Task<Card?> FindCardByUidAsync(string uidHex, CancellationToken ct = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<CardRow>(Cmd(
            $"SELECT {CardRow.Columns} FROM cards WHERE uid = @uid", new { uid = uidHex.ToLowerInvariant() }, null, ct))
            .ConfigureAwait(false))?.ToCard(), ct);

    /// <summary>Every imported card with its decrypted keys (for the in-memory K1 lookup at tap time).</summary>
    public Task<IReadOnlyList<ImportedCardKeys>> ListImportedCardKeysAsync(CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<ImportedCardKeys>>(async c =>
        {
            var rows = await c.QueryAsync<CardRow>(Cmd(
                $"SELECT {CardRow.Columns} FROM cards WHERE key_source = 'imported' ORDER BY created_at, id", null, null, ct)).ConfigureAwait(false);
            return rows.Select(r => new ImportedCardKeys(r.Id, r.Uid, checked((int)r.KeyVersion), _cipher.Decrypt(r.Id, r.KeysEncrypted!)))
                .ToList();
        }, ct);

    /// <summary>An imported card's decrypted keys K0..K4 (80 bytes); null for unknown or deterministic cards.</summary>
    public Task<byte[]?> GetImportedKeysAsync(string cardId, CancellationToken ct = default) =>
        ReadAsync(async c =>
        {
            var blob = await c.ExecuteScalarAsync<byte[]?>(Cmd(
                "SELECT keys_encrypted FROM cards WHERE id = @cardId AND key_source = 'imported'", new { cardId }, null, ct)).ConfigureAwait(false);
            return blob is null ? null : _cipher.Decrypt(cardId, blob);
        }, ct);

    /// <summary>
    /// Records the UID an imported card revealed on its first verified tap; false when it had one already
    /// or another card holds that UID (e.g. the same chip wiped and created again: the old card keeps it).
    /// </summary>
    public Task<bool> BindUidAsync(string cardId, string uidHex, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var n = await c.ExecuteAsync(Cmd(
                "UPDATE cards SET uid = @uid, updated_at = @now WHERE id = @cardId AND uid IS NULL " +
                "AND NOT EXISTS (SELECT 1 FROM cards other WHERE other.uid = @uid)",
                new { cardId, uid = uidHex.ToLowerInvariant(), now = NowMs() }, tx, ct)).ConfigureAwait(false);
            return (n == 1, n == 1);
        }, ct);

    /// <summary>Enables or disables the card; disabling an enabled card writes <see cref="OutboxEventTypes.CardDisabled"/>.</summary>
    public Task<Card?> SetEnabledAsync(string cardId, bool enabled, CancellationToken ct = default) =>
        WriteAsync<Card?>(async (c, tx) =>
        {
            var now = NowMs();
            var disabled = !enabled && await c.ExecuteAsync(Cmd(
                "UPDATE cards SET enabled = 0, updated_at = @now WHERE id = @cardId AND enabled = 1", new { cardId, now }, tx, ct))
                .ConfigureAwait(false) == 1;
            if (!disabled && await c.ExecuteAsync(Cmd(
                    "UPDATE cards SET enabled = @enabled, updated_at = @now WHERE id = @cardId",
                    new { cardId, enabled = enabled ? 1L : 0L, now }, tx, ct)).ConfigureAwait(false) == 0)
                return (null, false);
            if (disabled)
                await AppendEventAsync(c, tx, OutboxEventTypes.CardDisabled, cardId, new JsonObject { ["card_id"] = cardId }, now, ct)
                    .ConfigureAwait(false);
            return (await GetCardAsync(c, tx, cardId, ct).ConfigureAwait(false), true);
        }, ct);

    public Task<Card?> SetLimitsAsync(string cardId, Msat? perTapLimit, Msat? dailyLimit, CancellationToken ct = default) =>
        UpdateCardAsync(cardId, "per_tap_limit_msat = @perTap, daily_limit_msat = @daily",
            new { perTap = ColumnValues.FromMsat(perTapLimit), daily = ColumnValues.FromMsat(dailyLimit) }, ct);

    /// <summary>Sets (or with null clears) the PIN hash and limit; also clears wrong tries and the lock.</summary>
    public Task<Card?> SetPinAsync(string cardId, string? pinHash, Msat? pinLimit, CancellationToken ct = default) =>
        UpdateCardAsync(cardId, "pin_hash = @pinHash, pin_limit_msat = @pinLimit, pin_failures = 0, locked = 0",
            new { pinHash, pinLimit = pinHash is null ? null : ColumnValues.FromMsat(pinLimit ?? Msat.Zero) }, ct);

    /// <summary>
    /// Counts one PIN attempt BEFORE it is judged, so a burst of concurrent guesses cannot all be judged: the
    /// update succeeds only while the card is unlocked and has tries left. Null when the card is unknown,
    /// locked, or its <paramref name="maxTries"/> are used up (by this burst's other guesses): the guess
    /// must then be refused unjudged. A right PIN then calls <see cref="ResetPinFailuresAsync"/>; a wrong one
    /// <see cref="RecordWrongPinAsync"/>.
    /// </summary>
    public Task<PinAttempt?> TryCountPinAttemptAsync(string cardId, int maxTries, CancellationToken ct = default) =>
        WriteAsync<PinAttempt?>(async (c, tx) =>
        {
            var failures = await c.QuerySingleOrDefaultAsync<long?>(Cmd(
                "UPDATE cards SET pin_failures = pin_failures + 1, updated_at = @now " +
                "WHERE id = @cardId AND locked = 0 AND pin_failures < @maxTries RETURNING pin_failures",
                new { cardId, maxTries = (long)maxTries, now = NowMs() }, tx, ct)).ConfigureAwait(false);
            return failures is { } n ? (new PinAttempt((int)n, false), true) : (null, false);
        }, ct);

    /// <summary>
    /// The counted attempt was wrong: it stays counted, and the card locks once the count has reached
    /// <paramref name="maxTries"/>. Returns the card's PIN state; null for an unknown card.
    /// </summary>
    public Task<PinAttempt?> RecordWrongPinAsync(string cardId, int maxTries, CancellationToken ct = default) =>
        WriteAsync<PinAttempt?>(async (c, tx) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<(long Failures, long Locked)>(Cmd(
                "UPDATE cards SET locked = CASE WHEN pin_failures >= @maxTries THEN 1 ELSE locked END, updated_at = @now " +
                "WHERE id = @cardId RETURNING pin_failures, locked",
                new { cardId, maxTries = (long)maxTries, now = NowMs() }, tx, ct)).ConfigureAwait(false);
            return row == default ? (null, false) : (new PinAttempt((int)row.Failures, row.Locked != 0), true);
        }, ct);

    /// <summary>A right PIN resets the count of wrong tries (a lock stays until an operator sets the PIN again).</summary>
    public Task ResetPinFailuresAsync(string cardId, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(Cmd("UPDATE cards SET pin_failures = 0 WHERE id = @cardId AND pin_failures <> 0 AND locked = 0",
                new { cardId }, tx, ct)).ConfigureAwait(false);
            return (true, true);
        }, ct);

    /// <summary>Sets the strategy for the card's future withdrawals. False when the card does not exist.</summary>
    public Task<bool> SetCardPaymentPolicyAsync(string cardId, PaymentPolicy policy, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var n = await c.ExecuteAsync(Cmd("UPDATE cards SET payment_policy = @policy, updated_at = @now WHERE id = @cardId",
                new { cardId, policy = policy.ToString(), now = NowMs() }, tx, ct)).ConfigureAwait(false);
            return (n == 1, n == 1);
        }, ct);

    private Task<Card?> UpdateCardAsync(string cardId, string set, object args, CancellationToken ct) =>
        WriteAsync<Card?>(async (c, tx) =>
        {
            var parameters = new DynamicParameters(args);
            parameters.Add("cardId", cardId);
            parameters.Add("now", NowMs());
            var n = await c.ExecuteAsync(Cmd($"UPDATE cards SET {set}, updated_at = @now WHERE id = @cardId", parameters, tx, ct))
                .ConfigureAwait(false);
            return n == 0 ? (null, false) : (await GetCardAsync(c, tx, cardId, ct).ConfigureAwait(false), true);
        }, ct);

    private static async Task<Card?> GetCardAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? tx, string id, CancellationToken ct) =>
        (await c.QuerySingleOrDefaultAsync<CardRow>(Cmd($"SELECT {CardRow.Columns} FROM cards WHERE id = @id", new { id }, tx, ct))
            .ConfigureAwait(false))?.ToCard();
}
