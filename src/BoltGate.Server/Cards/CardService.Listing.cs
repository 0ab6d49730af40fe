using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Storage;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Listing;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Server.Cards;

/// <summary>A card with everything its detail shows: the card and today's usage, its status, policy, last tap and counts.</summary>
public sealed record CardDetail(CardView View, CardFacts Facts);

/// <summary>A withdrawal with the tap and the ledger entries behind it.</summary>
public sealed record WithdrawalDetail(Withdrawal Withdrawal, WithdrawalHistory History);

/// <summary>The change a PATCH asks for: each part is applied only when <c>Set</c>; a limit set to null is removed.</summary>
public sealed record CardPatch(
    string? Name, bool NameSet, long? PerTapLimitSat, bool PerTapSet, long? DailyLimitSat, bool DailySet, string? Policy, bool PolicySet);

/// <summary>The operator's look at cards and withdrawals (listings, detail, stats) and money moves under an Idempotency-Key.</summary>
public sealed partial class CardService
{
    public async Task<CardResult<Page<CardSummary>>> ListAsync(string? search, string? status, string? sort, int? limit, string? cursor,
        CancellationToken ct)
    {
        CardStatus? wanted = null;
        if (status is not null)
        {
            if (!Enum.TryParse<CardStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
                return CardError.Invalid("status must be one of active, disabled, wiped, locked.");
            wanted = parsed;
        }
        var order = sort switch
        {
            null or "created" => CardSort.Created,
            "lastTap" => CardSort.LastTap,
            _ => (CardSort?)null,
        };
        if (order is null)
            return CardError.Invalid("sort must be created or lastTap.");
        var pageSize = PageCursors.Limit(limit);
        if (pageSize.Error is { } limitError)
            return limitError;
        var after = PageCursors.Decode(cursor);
        if (after.Error is { } cursorError)
            return cursorError;
        if (search is { Length: > 100 })
            return CardError.Invalid("search must be at most 100 characters.");
        return await store.ListCardsAsync(new CardQuery(search, wanted, order.Value, pageSize.Value, after.Value), ct).ConfigureAwait(false);
    }

    public async Task<CardResult<CardDetail>> DetailAsync(string id, CancellationToken ct)
    {
        var view = await GetAsync(id, ct).ConfigureAwait(false);
        if (view.Error is { } error)
            return error;
        return await store.GetCardFactsAsync(id, ct).ConfigureAwait(false) is { } facts
            ? new CardDetail(view.Value!, facts)
            : CardError.CardNotFound();
    }

    /// <summary>Name, limits and payment policy in one request, checked first and then changed in one statement.</summary>
    public async Task<CardResult<CardDetail>> PatchAsync(string id, CardPatch patch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(patch);
        if (patch.NameSet && (string.IsNullOrWhiteSpace(patch.Name) || patch.Name.Trim().Length > 100))
            return CardError.Invalid("name must be 1 to 100 characters.");
        if (patch.PerTapLimitSat is < 0 or > CardLimits.MaxSat || patch.DailyLimitSat is < 0 or > CardLimits.MaxSat)
            return CardError.Invalid("Limits must be between 0 and 21 million BTC in sat.");
        PaymentPolicy? policy = null;
        if (patch.PolicySet)
        {
            if (patch.Policy is null || !Enum.TryParse<PaymentPolicy>(patch.Policy, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed)
                || int.TryParse(patch.Policy, out _))
                return CardError.Invalid("paymentPolicy must be \"FastFail\" or \"GradedRetry\".");
            policy = parsed;
        }
        var changes = new CardChanges(patch.NameSet ? patch.Name!.Trim() : null, patch.PerTapSet, CardLimits.Sat(patch.PerTapLimitSat),
            patch.DailySet, CardLimits.Sat(patch.DailyLimitSat), policy);
        if (await store.ChangeCardAsync(id, changes, ct).ConfigureAwait(false) is null)
            return CardError.CardNotFound();
        return await DetailAsync(id, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A credit under an Idempotency-Key: the first request credits and its answer (<paramref name="answer"/>) is kept with the
    /// key; the same request again gets that answer and credits nothing; another request with the key is refused.
    /// </summary>
    public Task<CardResult<string>> CreditOnceAsync(string id, long? amountSat, string? reason, string key, Func<CardView, string> answer,
        CancellationToken ct) =>
        OnceAsync("credit", id, amountSat, reason, key, answer, async (amount, claim) =>
            await store.CreditOnceAsync(id, amount, reason, claim, ct).ConfigureAwait(false) switch
            {
                Once<CreditResult>.Ran { Answer: { } text } => text,
                Once<CreditResult>.Ran { Result: CreditResult.AboveMaximum high } => TooHigh(high, amount),
                Once<CreditResult>.Ran => CardError.CardNotFound(),
                Once<CreditResult>.Replayed replayed => replayed.Answer,
                _ => KeyReused(),
            });

    /// <summary>A debit under an Idempotency-Key (as <see cref="CreditOnceAsync"/>); a refused debit keeps no key.</summary>
    public Task<CardResult<string>> DebitOnceAsync(string id, long? amountSat, string? reason, string key, Func<CardView, string> answer,
        CancellationToken ct) =>
        OnceAsync("debit", id, amountSat, reason, key, answer, async (amount, claim) =>
            await store.DebitOnceAsync(id, amount, reason, claim, ct).ConfigureAwait(false) switch
            {
                Once<DebitResult>.Ran { Answer: { } text } => text,
                Once<DebitResult>.Ran { Result: DebitResult.InsufficientBalance low } => new CardError(CardErrorKind.InsufficientBalance,
                    $"The card's balance is {low.Balance.Value} msat; a debit of {amount.Value} msat would take it below zero."),
                Once<DebitResult>.Ran => CardError.CardNotFound(),
                Once<DebitResult>.Replayed replayed => replayed.Answer,
                _ => KeyReused(),
            });

    private static async Task<CardResult<string>> OnceAsync(string operation, string id, long? amountSat, string? reason, string key,
        Func<CardView, string> answer, Func<Msat, IdempotencyClaim, Task<CardResult<string>>> run)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200)
            return CardError.Invalid("Idempotency-Key must be 1 to 200 characters.");
        if (Amount(amountSat) is not { } amount)
            return CardError.Invalid("amountSat must be a positive whole number of satoshis.");
        var fingerprint = string.Join('\n', operation, id, amount.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), reason ?? "");
        return await run(amount, new IdempotencyClaim(key, fingerprint, (card, used) => answer(new CardView(card, used))))
            .ConfigureAwait(false);
    }

    private static CardError KeyReused() => new(CardErrorKind.IdempotencyKeyReused,
        "This Idempotency-Key was used for a different request (another card, amount or reason); use a new key for a new request.");

    /// <summary>The card's ledger, oldest first, a page at a time.</summary>
    public async Task<CardResult<Page<LedgerEntry>>> LedgerPageAsync(string id, int? limit, string? cursor, CancellationToken ct)
    {
        var pageSize = PageCursors.Limit(limit);
        if (pageSize.Error is { } limitError)
            return limitError;
        var after = PageCursors.Decode(cursor);
        if (after.Error is { } cursorError)
            return cursorError;
        if (await store.GetCardAsync(id, ct).ConfigureAwait(false) is null)
            return CardError.CardNotFound();
        return await store.ListLedgerPageAsync(id, after.Value?.Key, pageSize.Value, ct).ConfigureAwait(false);
    }

    /// <summary>Withdrawals by card, state, failure kind and reservation time, newest first.</summary>
    public async Task<CardResult<Page<Withdrawal>>> FindWithdrawalsAsync(string? cardId, string? status, string? failure, DateTimeOffset? from,
        DateTimeOffset? to, int? limit, string? cursor, CancellationToken ct)
    {
        WithdrawalState? state = null;
        if (status is not null)
        {
            if (!Enum.TryParse<WithdrawalState>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
                return CardError.Invalid($"status must be one of {string.Join(", ", Enum.GetNames<WithdrawalState>())}.");
            state = parsed;
        }
        if (from is { } f && to is { } t && t <= f)
            return CardError.Invalid("to must be after from.");
        var pageSize = PageCursors.Limit(limit);
        if (pageSize.Error is { } limitError)
            return limitError;
        var after = PageCursors.Decode(cursor);
        if (after.Error is { } cursorError)
            return cursorError;
        return await store.ListWithdrawalsPageAsync(new WithdrawalQuery(cardId, state, failure, from, to, pageSize.Value, after.Value), ct)
            .ConfigureAwait(false);
    }

    public async Task<CardResult<WithdrawalDetail>> WithdrawalDetailAsync(string id, CancellationToken ct) =>
        await store.GetWithdrawalAsync(id, ct).ConfigureAwait(false) is { } w
            ? new WithdrawalDetail(w, await store.GetWithdrawalHistoryAsync(w, ct).ConfigureAwait(false))
            : new CardError(CardErrorKind.WithdrawalNotFound, "Not found.");

    /// <summary>At most this many buckets per request.</summary>
    public const int MaxBuckets = 1000;

    public async Task<CardResult<IReadOnlyList<StatsBucket>>> StatsAsync(DateTimeOffset? from, DateTimeOffset? to, TimeSpan? bucket,
        CancellationToken ct)
    {
        var end = to ?? time.GetUtcNow();
        var start = from ?? end.AddDays(-1);
        var size = bucket ?? TimeSpan.FromHours(1);
        if (end <= start)
            return CardError.Invalid("to must be after from.");
        if (size < TimeSpan.FromMinutes(1))
            return CardError.Invalid("bucket must be at least one minute.");
        if ((end - start) / size > MaxBuckets)
            return CardError.Invalid($"At most {MaxBuckets} buckets: widen bucket or narrow from..to.");
        return CardResult<IReadOnlyList<StatsBucket>>.Of(await store.GetStatsAsync(start, end, size, ct).ConfigureAwait(false));
    }
}
