using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace BoltGate.Client;

/// <summary>
/// BoltGate's admin API (<c>/api/v1</c>, bearer API key) and card-programming API (the one-time link
/// URLs the Bolt Card Programmer app calls). Routes are relative to the <see cref="HttpClient"/>'s
/// BaseAddress; programming calls take the absolute URL from the link. Every refusal is a
/// <see cref="BoltGateApiException"/> carrying status, code and message; the key only goes into the
/// Authorization header of each request (the HttpClient is not changed).
/// </summary>
public sealed partial class BoltGateClient : IDisposable
{
    private static readonly BoltGateJsonContext Json = BoltGateJsonContext.Default;
    private readonly HttpClient http;
    private readonly string? apiKey;
    private readonly bool ownsHttp;
    private readonly Uri? gateway;

    /// <summary>Over the caller's HttpClient (its BaseAddress is the gateway), which the caller disposes.</summary>
    public BoltGateClient(HttpClient http, string? apiKey = null)
        : this(http, apiKey, ownsHttp: false)
    {
    }

    /// <summary>Over an HttpClient of its own for the gateway at <paramref name="gateway"/>, disposed with this client.</summary>
    public BoltGateClient(Uri gateway, string? apiKey = null)
        : this(new HttpClient { BaseAddress = gateway }, apiKey, ownsHttp: true)
    {
    }

    /// <summary>Over a shared HttpClient without a BaseAddress: routes are resolved against <paramref name="gateway"/>.</summary>
    public BoltGateClient(HttpClient http, Uri gateway, string? apiKey)
        : this(http, apiKey, ownsHttp: false)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        this.gateway = gateway.AbsoluteUri.EndsWith('/') ? gateway : new Uri(gateway.AbsoluteUri + "/");
    }

    /// <summary>Over <paramref name="http"/>, disposing it with this client when <paramref name="ownsHttp"/>.</summary>
    public BoltGateClient(HttpClient http, string? apiKey, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        this.http = http;
        this.apiKey = apiKey;
        this.ownsHttp = ownsHttp;
    }

    /// <summary>The HttpClient underneath (it carries no key: the key goes on each request).</summary>
    public HttpClient Http => http;

    public void Dispose()
    {
        if (ownsHttp)
            http.Dispose();
    }

    // Cards

    public Task<CardCreated> CreateCardAsync(CreateCardRequest request, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "api/v1/cards", request, Json.CreateCardRequest, Json.CardCreated, ct);

    public Task<Card> ImportCardAsync(ImportCardRequest request, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "api/v1/cards/import", request, Json.ImportCardRequest, Json.Card, ct);

    public Task<Card> GetCardAsync(string cardId, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, Card(cardId), Json.Card, ct);

    /// <summary>
    /// With <paramref name="idempotencyKey"/> the same call repeated (a retry after a time-out) credits once and answers the
    /// first answer; the key with another card, amount or reason is refused (422 <c>IDEMPOTENCY_KEY_REUSED</c>).
    /// </summary>
    public Task<Card> CreditAsync(string cardId, long amountSat, string? reason, CancellationToken ct, string? idempotencyKey = null) =>
        SendAsync(WithKey(new HttpRequestMessage(HttpMethod.Post, Resolve(Card(cardId, "credit")))
        {
            Content = JsonContent.Create(new AmountRequest(amountSat, reason), Json.AmountRequest),
        }, idempotencyKey), Json.Card, ct);

    /// <summary>Takes money off the card; 409 <c>INSUFFICIENT_BALANCE</c> when it would go below zero. The key as for <see cref="CreditAsync"/>.</summary>
    public Task<Card> DebitAsync(string cardId, long amountSat, string? reason, CancellationToken ct, string? idempotencyKey = null) =>
        SendAsync(WithKey(new HttpRequestMessage(HttpMethod.Post, Resolve(Card(cardId, "debit")))
        {
            Content = JsonContent.Create(new AmountRequest(amountSat, reason), Json.AmountRequest),
        }, idempotencyKey), Json.Card, ct);

    /// <summary>A card with its status, policy, what is left of today's limit, last tap and counts.</summary>
    public Task<CardDetail> GetCardDetailAsync(string cardId, CancellationToken ct) => SendAsync(HttpMethod.Get, Card(cardId), Json.CardDetail, ct);

    public Task<Page<CardListItem>> ListCardsAsync(CardSearch search, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(search);
        return SendAsync(HttpMethod.Get, "api/v1/cards" + Query(("search", search.Search), ("status", search.Status), ("sort", search.Sort),
            ("limit", search.Limit?.ToString(CultureInfo.InvariantCulture)), ("cursor", search.Cursor)), Json.PageCardListItem, ct);
    }

    /// <summary>
    /// JSON merge patch of name, limits (<c>perTapLimitSat</c>, <c>dailyLimitSat</c>; null removes one) and <c>paymentPolicy</c>:
    /// only the members given change.
    /// </summary>
    public Task<CardDetail> PatchCardAsync(string cardId, IReadOnlyDictionary<string, object?> changes, CancellationToken ct) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Patch, Resolve(Card(cardId)))
        {
            Content = JsonContent.Create(changes.ToDictionary(p => p.Key, p => p.Value), Json.DictionaryStringObject),
        }, Json.CardDetail, ct);

    /// <summary>One page of the card's ledger, oldest first.</summary>
    public Task<Page<LedgerEntry>> GetLedgerPageAsync(string cardId, int? limit, string? cursor, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, Card(cardId, "ledger") + Query(("limit", limit?.ToString(CultureInfo.InvariantCulture)), ("cursor", cursor)),
            Json.PageLedgerEntry, ct);

    public Task<Page<Withdrawal>> FindWithdrawalsAsync(WithdrawalSearch search, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(search);
        return SendAsync(HttpMethod.Get, "api/v1/withdrawals" + Query(("card", search.CardId), ("status", search.Status), ("failure", search.Failure),
            ("from", search.From?.ToString("O", CultureInfo.InvariantCulture)), ("to", search.To?.ToString("O", CultureInfo.InvariantCulture)),
            ("limit", search.Limit?.ToString(CultureInfo.InvariantCulture)), ("cursor", search.Cursor)), Json.PageWithdrawal, ct);
    }

    /// <summary>A withdrawal with its timeline (tap, k1 issued, callback, payment sent, node's answer, refund or settlement).</summary>
    public Task<WithdrawalDetail> GetWithdrawalDetailAsync(string withdrawalId, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "api/v1/withdrawals/" + Uri.EscapeDataString(withdrawalId), Json.WithdrawalDetail, ct);

    /// <summary><paramref name="bucket"/> as 15m, 1h, 1d; the range defaults to the last day.</summary>
    public Task<Stats> GetStatsAsync(DateTimeOffset? from, DateTimeOffset? to, string? bucket, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "api/v1/stats" + Query(("from", from?.ToString("O", CultureInfo.InvariantCulture)),
            ("to", to?.ToString("O", CultureInfo.InvariantCulture)), ("bucket", bucket)), Json.Stats, ct);

    // API keys (scope admin)

    /// <summary>A named key with scopes; the answer's <c>Key</c> is shown this once.</summary>
    public Task<ApiKeyCreated> CreateApiKeyAsync(string name, IReadOnlyList<string> scopes, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "api/v1/keys", new CreateApiKeyRequest(name, scopes), Json.CreateApiKeyRequest, Json.ApiKeyCreated, ct);

    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(CancellationToken ct) =>
        await SendAsync(HttpMethod.Get, "api/v1/keys", Json.ListApiKey, ct).ConfigureAwait(false);

    /// <summary>The key stops working at once; it stays listed with its revocation time.</summary>
    public Task<ApiKey> RevokeApiKeyAsync(string id, CancellationToken ct) =>
        SendAsync(HttpMethod.Delete, "api/v1/keys/" + Uri.EscapeDataString(id), Json.ApiKey, ct);

    public Task<Card> EnableAsync(string cardId, CancellationToken ct) => SendAsync(HttpMethod.Post, Card(cardId, "enable"), Json.Card, ct);

    public Task<Card> DisableAsync(string cardId, CancellationToken ct) => SendAsync(HttpMethod.Post, Card(cardId, "disable"), Json.Card, ct);

    /// <summary>Null removes a limit.</summary>
    public Task<Card> SetLimitsAsync(string cardId, long? perTapLimitSat, long? dailyLimitSat, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, Card(cardId, "limits"), new LimitsRequest(perTapLimitSat, dailyLimitSat), Json.LimitsRequest, Json.Card, ct);

    public Task<Card> SetPinAsync(string cardId, string pin, long? pinLimitSat, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, Card(cardId, "pin"), new PinRequest(pin, pinLimitSat), Json.PinRequest, Json.Card, ct);

    public Task<Card> ClearPinAsync(string cardId, CancellationToken ct) => SendAsync(HttpMethod.Delete, Card(cardId, "pin"), Json.Card, ct);

    /// <summary><c>FastFail</c> or <c>GradedRetry</c>.</summary>
    public Task<PaymentPolicyAnswer> SetPaymentPolicyAsync(string cardId, string policy, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, Card(cardId, "payment-policy"), new PaymentPolicyRequest(policy), Json.PaymentPolicyRequest,
            Json.PaymentPolicyAnswer, ct);

    /// <summary>Newest first (the last 100).</summary>
    public async Task<IReadOnlyList<Withdrawal>> ListWithdrawalsAsync(string cardId, CancellationToken ct) =>
        await SendAsync(HttpMethod.Get, Card(cardId, "withdrawals"), Json.ListWithdrawal, ct).ConfigureAwait(false);

    /// <summary>The whole ledger, oldest first, page after page; the amounts add up to the balance.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> GetLedgerAsync(string cardId, CancellationToken ct)
    {
        var all = new List<LedgerEntry>();
        string? cursor = null;
        do
        {
            var page = await GetLedgerPageAsync(cardId, 500, cursor, ct).ConfigureAwait(false);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    public async Task<Withdrawal> GetWithdrawalAsync(string withdrawalId, CancellationToken ct) =>
        (await GetWithdrawalDetailAsync(withdrawalId, ct).ConfigureAwait(false)).Withdrawal;

    /// <summary>Refunds a withdrawal waiting in Reserved; 409 <c>WITHDRAWAL_NOT_CANCELABLE</c> for one the node may be paying.</summary>
    public Task<Withdrawal> CancelWithdrawalAsync(string withdrawalId, string? reason, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "api/v1/withdrawals/" + Uri.EscapeDataString(withdrawalId) + "/cancel", new CancelRequest(reason),
            Json.CancelRequest, Json.Withdrawal, ct);

    // Card programming: the operator's side

    public Task<ProgrammingLink> CreateProgrammingLinkAsync(ProgrammingLinkRequest request, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "api/v1/programming-links", request, Json.ProgrammingLinkRequest, Json.ProgrammingLink, ct);

    /// <summary>The card's current keys as the wipe JSON; changes nothing.</summary>
    public Task<WipeKeys> GetWipeKeysAsync(string cardId, CancellationToken ct) => SendAsync(HttpMethod.Get, Card(cardId, "wipe"), Json.WipeKeys, ct);

    /// <summary>Disables the card and records it as reset (after wiping it with the wipe JSON).</summary>
    public Task<Card> MarkResetAsync(string cardId, CancellationToken ct) => SendAsync(HttpMethod.Post, Card(cardId, "reset"), Json.Card, ct);

    // Card programming: what the Bolt Card Programmer app (or the NFC tool) calls with a link

    /// <summary>QR flow: <c>GET createUrl</c> creates a card with fresh random keys.</summary>
    public Task<BoltCardCreation> CreateFromLinkAsync(Uri createUrl, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, createUrl.ToString(), Json.BoltCardCreation, ct);

    /// <summary>Deeplink program: POST <c>{"UID"}</c> to the link's program URL.</summary>
    public Task<DeeplinkKeys> ProgramAsync(Uri programUrl, string uid, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, programUrl.ToString(), new ProgramRequest(uid), Json.ProgramRequest, Json.DeeplinkKeys, ct);

    /// <summary>Deeplink reset: POST <c>{"LNURLW"}</c> (the tap URL read from the card); the answer carries the keys to wipe with.</summary>
    public Task<DeeplinkKeys> ResetAsync(Uri resetUrl, string lnurlw, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, resetUrl.ToString(), new ResetRequest(lnurlw), Json.ResetRequest, Json.DeeplinkKeys, ct);

    private static HttpRequestMessage WithKey(HttpRequestMessage request, string? idempotencyKey)
    {
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    private static string Query(params (string Name, string? Value)[] values)
    {
        var parts = values.Where(v => v.Value is not null).Select(v => v.Name + "=" + Uri.EscapeDataString(v.Value!)).ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private static string Card(string cardId, string? action = null) =>
        "api/v1/cards/" + Uri.EscapeDataString(cardId) + (action is null ? "" : "/" + action);

    private Task<TAnswer> SendAsync<TAnswer>(HttpMethod method, string url, JsonTypeInfo<TAnswer> answer, CancellationToken ct) =>
        SendAsync(new HttpRequestMessage(method, Resolve(url)), answer, ct);

    private Task<TAnswer> SendAsync<TBody, TAnswer>(HttpMethod method, string url, TBody body, JsonTypeInfo<TBody> bodyInfo,
        JsonTypeInfo<TAnswer> answer, CancellationToken ct) =>
        SendAsync(new HttpRequestMessage(method, Resolve(url)) { Content = JsonContent.Create(body, bodyInfo) }, answer, ct);

    private Uri Resolve(string url) => gateway is null ? new Uri(url, UriKind.RelativeOrAbsolute) : new Uri(gateway, url);

    private async Task<TAnswer> SendAsync<TAnswer>(HttpRequestMessage request, JsonTypeInfo<TAnswer> answer, CancellationToken ct)
    {
        using (request)
        {
            if (apiKey is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw await RefusalAsync(response, ct).ConfigureAwait(false);
            try
            {
                return await response.Content.ReadFromJsonAsync(answer, ct).ConfigureAwait(false)
                    ?? throw new BoltGateApiException(response.StatusCode, "EMPTY_ANSWER", "The gateway answered without a body.");
            }
            catch (JsonException e)
            {
                throw new BoltGateApiException(response.StatusCode, "UNREADABLE_ANSWER", "The gateway's answer is not the expected JSON: " + e.Message);
            }
        }
    }

    private static async Task<BoltGateApiException> RefusalAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        ErrorBody? body = null;
        try
        {
            body = text.TrimStart().StartsWith('{') ? JsonSerializer.Deserialize(text, Json.ErrorBody) : null;
        }
        catch (JsonException)
        {
        }
        var code = body?.Code ?? (response.StatusCode == HttpStatusCode.Unauthorized ? "UNAUTHORIZED" : "HTTP_" + (int)response.StatusCode);
        var message = body?.Message ?? body?.Reason ?? body?.Detail ?? body?.Title
            ?? (text.Length == 0 ? response.ReasonPhrase ?? "" : text.Length <= 200 ? text : text[..200] + "…");
        return new BoltGateApiException(response.StatusCode, code, message);
    }
}
