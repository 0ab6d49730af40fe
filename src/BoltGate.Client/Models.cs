using System.Text.Json.Serialization;

namespace BoltGate.Client;

// The API's JSON shapes as the server writes them (docs/api.md). Amounts say their unit in their name.

/// <summary><c>POST /api/v1/cards</c>: deterministic keys when <see cref="Uid"/> is given, random keys otherwise.</summary>
public sealed record CreateCardRequest(string? Name, string? Uid = null, long? PerTapLimitSat = null, long? DailyLimitSat = null);

/// <summary><c>POST /api/v1/cards/import</c>: keys made elsewhere, 32 hex characters each.</summary>
public sealed record ImportCardRequest(
    string? Name, string? Uid, string K0, string K1, string K2, string K3, string K4, int? KeyVersion = null,
    long? PerTapLimitSat = null, long? DailyLimitSat = null);

public sealed record AmountRequest(long AmountSat, string? Reason = null);

public sealed record LimitsRequest(long? PerTapLimitSat, long? DailyLimitSat);

public sealed record PinRequest(string Pin, long? PinLimitSat = null);

public sealed record PaymentPolicyRequest(string Policy);

public sealed record CancelRequest(string? Reason);

/// <summary><c>POST /api/v1/programming-links</c>.</summary>
public sealed record ProgrammingLinkRequest(
    string? Name, long? PerTapLimitSat = null, long? DailyLimitSat = null, bool? UidPrivacy = null, int? ExpiresInMinutes = null);

public sealed record Card(
    string Id, string Name, string? Uid, string KeySource, int KeyVersion, bool Enabled, bool Locked, bool HasPin,
    long? PinLimitSat, int PinFailures, long BalanceMsat, long? PerTapLimitSat, long? DailyLimitSat, long DailyUsedMsat,
    long? Counter, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>K0..K4 in lower-case hex.</summary>
public sealed record CardKeys(string K0, string K1, string K2, string K3, string K4)
{
    public IReadOnlyList<string> ToList() => [K0, K1, K2, K3, K4];

    public override string ToString() => "CardKeys(K0..K4 redacted)";
}

/// <summary>A new card with its keys, which the gateway shows this once.</summary>
public sealed record CardCreated(string Id, string? Uid, int KeyVersion, CardKeys Keys, string Lnurlw, Card Card);

public sealed record Withdrawal(
    string Id, string CardId, string State, long AmountMsat, long FeeReserveMsat, long? FeeMsat, string PaymentHash, string Bolt11,
    string? FailureCode, string? NodeMessage, int Attempts, DateTimeOffset Deadline, DateTimeOffset ReservedAt,
    DateTimeOffset? SendingAt, DateTimeOffset? InFlightAt, DateTimeOffset? FinishedAt);

/// <summary>One balance movement; kinds <c>topup</c>, <c>reservation</c>, <c>refund</c>, <c>fee_release</c>, <c>debit</c>.</summary>
public sealed record LedgerEntry(long Id, string Kind, long AmountMsat, string? WithdrawalId, string? Note, DateTimeOffset CreatedAt);

public sealed record PaymentPolicyAnswer(string CardId, string Policy);

public sealed record ProgrammingLink(
    string Code, DateTimeOffset ExpiresAt, string CreateUrl, string ProgramUrl, string ResetUrl, string ProgramDeeplink, string ResetDeeplink);

/// <summary>The wipe JSON (Bolt Card spec §3.2).</summary>
public sealed record WipeKeys(int Version, string Action, string Id, string? Uid, string K0, string K1, string K2, string K3, string K4)
{
    public override string ToString() => $"WipeKeys({Id}, keys redacted)";
}

/// <summary>The Bolt Card Programmer app's "create" answer (QR flow, <c>GET createUrl</c>).</summary>
public sealed record BoltCardCreation(
    [property: JsonPropertyName("protocol_name")] string ProtocolName,
    [property: JsonPropertyName("protocol_version")] int ProtocolVersion,
    [property: JsonPropertyName("card_name")] string CardName,
    [property: JsonPropertyName("lnurlw_base")] string LnurlwBase,
    [property: JsonPropertyName("k0")] string K0,
    [property: JsonPropertyName("k1")] string K1,
    [property: JsonPropertyName("k2")] string K2,
    [property: JsonPropertyName("k3")] string K3,
    [property: JsonPropertyName("k4")] string K4,
    [property: JsonPropertyName("uid_privacy")] string UidPrivacy,
    [property: JsonPropertyName("cardId")] string CardId)
{
    public override string ToString() => $"BoltCardCreation({CardId}, keys redacted)";
}

/// <summary>The deeplink answer to program (<c>uid_privacy</c>) or to reset (<c>action</c>, <c>balanceMsat</c>), keys in upper-case hex.</summary>
public sealed record DeeplinkKeys(
    [property: JsonPropertyName("LNURLW")] string Lnurlw,
    [property: JsonPropertyName("K0")] string K0,
    [property: JsonPropertyName("K1")] string K1,
    [property: JsonPropertyName("K2")] string K2,
    [property: JsonPropertyName("K3")] string K3,
    [property: JsonPropertyName("K4")] string K4,
    [property: JsonPropertyName("cardId")] string CardId,
    [property: JsonPropertyName("uid")] string? Uid,
    [property: JsonPropertyName("keyVersion")] int KeyVersion,
    [property: JsonPropertyName("uid_privacy")] string? UidPrivacy = null,
    [property: JsonPropertyName("action")] string? Action = null,
    [property: JsonPropertyName("balanceMsat")] long? BalanceMsat = null)
{
    public IReadOnlyList<string> Keys => [K0, K1, K2, K3, K4];

    public override string ToString() => $"DeeplinkKeys({CardId}, keys redacted)";
}

/// <summary>Deeplink program body: <c>{"UID"}</c>.</summary>
public sealed record ProgramRequest([property: JsonPropertyName("UID")] string Uid);

/// <summary>Deeplink reset body: <c>{"LNURLW"}</c>, the card's NDEF URL as read.</summary>
public sealed record ResetRequest([property: JsonPropertyName("LNURLW")] string Lnurlw);

/// <summary>Any of the gateway's error bodies: admin <c>{"code","message"}</c>, LNURL <c>{"status","reason","code"}</c>, problem details.</summary>
internal sealed record ErrorBody(string? Code, string? Message, string? Reason, string? Title, string? Detail);

/// <summary>One page of a listing; pass <see cref="NextCursor"/> back as the cursor for the next one (null: last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>A card in <c>GET /api/v1/cards</c>; <c>status</c> is active, disabled, wiped or locked.</summary>
public sealed record CardListItem(
    string Id, string Name, string? Uid, string Status, long BalanceMsat, int KeyVersion, bool HasPin, DateTimeOffset? LastTapAt,
    DateTimeOffset CreatedAt);

public sealed record CardCounts(long Taps, long Withdrawals, long Succeeded, long Failed, long Pending);

/// <summary><c>GET /api/v1/cards/{id}</c>: a card's fields plus what is left of today's limit, status, policy, last tap and counts.</summary>
public sealed record CardDetail(
    string Id, string Name, string? Uid, string KeySource, int KeyVersion, bool Enabled, bool Locked, bool HasPin,
    long? PinLimitSat, int PinFailures, long BalanceMsat, long? PerTapLimitSat, long? DailyLimitSat, long DailyUsedMsat,
    long? Counter, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    string Status, string PaymentPolicy, long? DailyRemainingMsat, long ReservedMsat, DateTimeOffset? LastTapAt, CardCounts Counts);

/// <summary>Card search: every member optional; <c>sort</c> is <c>created</c> or <c>lastTap</c> (newest first).</summary>
public sealed record CardSearch(string? Search = null, string? Status = null, string? Sort = null, int? Limit = null, string? Cursor = null);

/// <summary>Withdrawal search: every member optional; times bound the reservation (from inclusive, to exclusive).</summary>
public sealed record WithdrawalSearch(
    string? CardId = null, string? Status = null, string? Failure = null, DateTimeOffset? From = null, DateTimeOffset? To = null,
    int? Limit = null, string? Cursor = null);

/// <summary>One step of a withdrawal: tap, k1_issued, callback, payment_sent, in_flight, node_answered, refunded, settled.</summary>
public sealed record TimelineEvent(string Event, DateTimeOffset At, string? Detail);

public sealed record WithdrawalDetail(Withdrawal Withdrawal, IReadOnlyList<TimelineEvent> Timeline);

public sealed record CreateApiKeyRequest(string Name, IReadOnlyList<string> Scopes);

public sealed record ApiKey(string Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt);

/// <summary>A new key: <see cref="Key"/> is shown this once.</summary>
public sealed record ApiKeyCreated(string Key, ApiKey ApiKey);

public sealed record DurationPercentiles(long Count, double? P50Ms, double? P90Ms, double? P99Ms);

public sealed record TapStats(long Offered, long Used);

public sealed record LiabilityStats(long BalancesMsat, long ReservedMsat, long TotalMsat);

public sealed record StatsBucket(
    DateTimeOffset Start, DateTimeOffset End, TapStats Taps, Dictionary<string, long> WithdrawalsByState, Dictionary<string, long> FailuresByKind,
    long SucceededMsat, long FeesMsat, long RefundedMsat, DurationPercentiles TimeToRefund, LiabilityStats Liabilities);

public sealed record Stats(DateTimeOffset From, DateTimeOffset To, string Bucket, IReadOnlyList<StatsBucket> Buckets);
