using BoltGate.Server.Cards;
using BoltGate.Storage.ApiKeys;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Listing;

namespace BoltGate.Server.Admin;

// JSON shapes of the listings, card detail, keys and stats (camelCase on the wire).

/// <summary>One page: <c>nextCursor</c> is null on the last page, else passed back as <c>?cursor=</c>.</summary>
public sealed record PageResponse<T>(IReadOnlyList<T> Items, string? NextCursor);

public sealed record CardListItem(
    string Id, string Name, string? Uid, string Status, long BalanceMsat, int KeyVersion, bool HasPin, DateTimeOffset? LastTapAt,
    DateTimeOffset CreatedAt)
{
    public static CardListItem From(CardSummary s) => new(s.Card.Id, s.Card.Name, s.Card.UidHex, StatusName(s.Status), s.Card.Balance.Value,
        s.Card.KeyVersion, s.Card.HasPin, s.LastTapAt, s.Card.CreatedAt);

    public static string StatusName(CardStatus status) => status.ToString().ToLowerInvariant();
}

public sealed record CardCounts(long Taps, long Withdrawals, long Succeeded, long Failed, long Pending);

/// <summary>
/// A card's detail: every field of a card answer, plus what is left of today's limit, its status, payment policy,
/// money held for unfinished withdrawals, last tap and counts.
/// </summary>
public sealed record CardDetailResponse(
    string Id, string Name, string? Uid, string KeySource, int KeyVersion, bool Enabled, bool Locked, bool HasPin,
    long? PinLimitSat, int PinFailures, long BalanceMsat, long? PerTapLimitSat, long? DailyLimitSat, long DailyUsedMsat,
    long? Counter, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    string Status, string PaymentPolicy, long? DailyRemainingMsat, long ReservedMsat, DateTimeOffset? LastTapAt, CardCounts Counts)
{
    public static CardDetailResponse From(CardDetail d)
    {
        var c = CardResponse.From(d.View);
        long? remaining = d.View.Card.DailyLimit is { } daily ? Math.Max(0, daily.Value - d.View.DailyUsed.Value) : null;
        return new(c.Id, c.Name, c.Uid, c.KeySource, c.KeyVersion, c.Enabled, c.Locked, c.HasPin, c.PinLimitSat, c.PinFailures, c.BalanceMsat,
            c.PerTapLimitSat, c.DailyLimitSat, c.DailyUsedMsat, c.Counter, c.CreatedAt, c.UpdatedAt,
            CardListItem.StatusName(d.Facts.Status), d.Facts.PaymentPolicy.ToString(), remaining, d.Facts.Reserved.Value, d.Facts.LastTapAt,
            new CardCounts(d.Facts.Taps, d.Facts.Withdrawals, d.Facts.Succeeded, d.Facts.Failed, d.Facts.Pending));
    }
}

/// <summary>PATCH body (JSON merge patch): a member left out stays as it is; a limit sent as null is removed.</summary>
public sealed record PatchCardRequest(string? Name, long? PerTapLimitSat, long? DailyLimitSat, string? PaymentPolicy);

public sealed record TimelineEvent(string Event, DateTimeOffset At, string? Detail);

public sealed record WithdrawalDetailResponse(WithdrawalResponse Withdrawal, IReadOnlyList<TimelineEvent> Timeline)
{
    /// <summary>
    /// The withdrawal's story from its own timestamps: the tap (its k1 handed out at once), the callback that
    /// reserved the money, the payment handed to the node, the node's answer, and the refund or settlement
    /// (from the ledger entries the final transition wrote).
    /// </summary>
    public static WithdrawalDetailResponse From(WithdrawalDetail d)
    {
        var (w, h) = (d.Withdrawal, d.History);
        var events = new List<TimelineEvent>();
        if (h.TapAt is { } tap)
        {
            events.Add(new("tap", tap, "the card's tap was verified"));
            events.Add(new("k1_issued", tap, h.K1ExpiresAt is { } exp ? $"valid until {exp:O}" : null));
        }
        events.Add(new("callback", w.ReservedAt, $"invoice of {w.Amount.Value} msat; {w.Amount.Value + w.FeeReserve.Value} msat reserved"));
        if (w.SendingAt is { } sending)
            events.Add(new("payment_sent", sending, $"attempt {Math.Max(1, w.Attempts)}"));
        if (w.InFlightAt is { } inFlight)
            events.Add(new("in_flight", inFlight, "the node's answer was not final; tracked by payment hash"));
        if (w.FinishedAt is { } finished)
        {
            events.Add(new("node_answered", finished, w.State == Core.Payments.WithdrawalState.Succeeded
                ? $"paid, fee {w.Fee?.Value ?? 0} msat"
                : $"{w.FailureCode ?? "failed"}: {w.NodeMessage}"));
        }
        foreach (var entry in h.Ledger.Where(e => e.Kind is LedgerKind.Refund or LedgerKind.FeeRelease))
        {
            events.Add(new(entry.Kind == LedgerKind.Refund ? "refunded" : "settled", entry.CreatedAt,
                $"{entry.Amount.Value} msat back to the card"));
        }
        if (w.State == Core.Payments.WithdrawalState.Succeeded && !h.Ledger.Any(e => e.Kind == LedgerKind.FeeRelease) && w.FinishedAt is { } done)
            events.Add(new("settled", done, "the whole fee reserve was used"));
        return new(WithdrawalResponse.From(w), events.OrderBy(e => e.At).ToList());
    }
}

public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string?>? Scopes);

public sealed record ApiKeyResponse(string Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    public static ApiKeyResponse From(StoredApiKey k) => new(k.Id, k.Name, k.Scopes, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}

/// <summary>A new key: <c>key</c> is shown this once; only its hash is stored.</summary>
public sealed record ApiKeyCreatedResponse(string Key, ApiKeyResponse ApiKey);

public sealed record DurationPercentiles(long Count, double? P50Ms, double? P90Ms, double? P99Ms);

public sealed record StatsBucketResponse(
    DateTimeOffset Start, DateTimeOffset End, TapStats Taps, IReadOnlyDictionary<string, long> WithdrawalsByState,
    IReadOnlyDictionary<string, long> FailuresByKind, long SucceededMsat, long FeesMsat, long RefundedMsat, DurationPercentiles TimeToRefund,
    LiabilityStats Liabilities)
{
    public static StatsBucketResponse From(StatsBucket b) => new(b.From, b.To, new TapStats(b.TapsOffered, b.TapsUsed), b.WithdrawalsByState,
        b.FailuresByKind, b.AmountSucceeded.Value, b.FeesPaid.Value, b.AmountRefunded.Value, Percentiles(b.RefundTimes),
        new LiabilityStats(b.BalancesAtEnd.Value, b.ReservedAtEnd.Value, b.BalancesAtEnd.Value + b.ReservedAtEnd.Value));

    /// <summary>Nearest-rank percentiles of sorted durations.</summary>
    public static DurationPercentiles Percentiles(IReadOnlyList<TimeSpan> sorted)
    {
        double? At(double p) => sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)].TotalMilliseconds;
        return new(sorted.Count, At(0.5), At(0.9), At(0.99));
    }
}

/// <summary>Taps that got an LNURL offer, and how many of those a wallet's callback used.</summary>
public sealed record TapStats(long Offered, long Used);

/// <summary>What the gateway owes card holders at the bucket's end: balances, money held for unfinished withdrawals, and both.</summary>
public sealed record LiabilityStats(long BalancesMsat, long ReservedMsat, long TotalMsat);

public sealed record StatsResponse(DateTimeOffset From, DateTimeOffset To, string Bucket, IReadOnlyList<StatsBucketResponse> Buckets);
