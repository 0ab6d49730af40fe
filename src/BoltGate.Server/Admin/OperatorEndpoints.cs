using System.Text.Json;
using System.Text.Json.Nodes;
using BoltGate.Server.Auth;
using BoltGate.Server.Cards;
using BoltGate.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BoltGate.Server.Admin;

/// <summary>
/// The operator's API beyond single cards (docs/api.md): API keys (<c>admin</c>), the card listing and
/// PATCH, the withdrawal listing, stats. Query values are read by the routes (<see cref="QueryValues"/>) so
/// a malformed one is a 400 problem, never a bare 400 or a 500.
/// </summary>
public static class OperatorEndpoints
{
    public static IEndpointRouteBuilder MapOperator(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");

        api.MapPost("/keys", async Task<Results<Created<ApiKeyCreatedResponse>, AdminFailure>> (CreateApiKeyRequest? body, HttpContext http,
            ApiKeyService keys, CancellationToken ct) =>
        {
            if (body is null)
                return AdminFailure.BadRequest("Send a JSON body: {\"name\", \"scopes\": [\"cards:read\", ...]}.");
            var created = await keys.CreateAsync(body.Name, body.Scopes, ct);
            if (created.Error is null)
                http.Response.Headers.CacheControl = "no-store";
            return created.Created(k => new ApiKeyCreatedResponse(k.Key, ApiKeyResponse.From(k.Stored)));
        }).RequireAuthorization(Scopes.Admin);

        api.MapGet("/keys", async Task<Ok<IEnumerable<ApiKeyResponse>>> (ApiKeyService keys, CancellationToken ct) =>
            TypedResults.Ok((await keys.ListAsync(ct)).Select(ApiKeyResponse.From)))
            .ProducesAdminProblems(400, 401, 403).RequireAuthorization(Scopes.Admin);

        api.MapDelete("/keys/{id}", async Task<Results<Ok<ApiKeyResponse>, AdminFailure>> (string id, ApiKeyService keys, CancellationToken ct) =>
            (await keys.RevokeAsync(id, ct)).Ok(ApiKeyResponse.From))
            .RequireAuthorization(Scopes.Admin);

        api.MapGet("/cards", async Task<Results<Ok<PageResponse<CardListItem>>, AdminFailure>> (string? search, string? status, string? sort,
            string? limit, string? cursor, CardService cards, CancellationToken ct) =>
        {
            var size = QueryValues.Int(limit, "limit");
            if (size.Error is { } error)
                return AdminFailure.From(error);
            return (await cards.ListAsync(search, status, sort, size.Value, cursor, ct))
                .Ok(page => new PageResponse<CardListItem>(page.Items.Select(CardListItem.From).ToList(), PageCursors.Encode(page.Next)));
        }).RequireAuthorization(Scopes.CardsRead);

        api.MapPatch("/cards/{id}", async Task<Results<Ok<CardDetailResponse>, AdminFailure>> (string id, HttpRequest request, CardService cards,
            CancellationToken ct) =>
        {
            var patch = await ReadPatchAsync(request, ct);
            if (patch.Error is { } error)
                return AdminFailure.From(error);
            return (await cards.PatchAsync(id, patch.Value!, ct)).Ok(CardDetailResponse.From);
        }).Accepts<PatchCardRequest>("application/json", "application/merge-patch+json").RequireAuthorization(Scopes.CardsWrite);

        api.MapGet("/withdrawals", async Task<Results<Ok<PageResponse<WithdrawalResponse>>, AdminFailure>> (string? card, string? status,
            string? failure, string? from, string? to, string? limit, string? cursor, CardService cards, CancellationToken ct) =>
        {
            var (start, end, size) = (QueryValues.Time(from, "from"), QueryValues.Time(to, "to"), QueryValues.Int(limit, "limit"));
            if ((start.Error ?? end.Error ?? size.Error) is { } error)
                return AdminFailure.From(error);
            return (await cards.FindWithdrawalsAsync(card, status, failure, start.Value, end.Value, size.Value, cursor, ct))
                .Ok(page => new PageResponse<WithdrawalResponse>(page.Items.Select(WithdrawalResponse.From).ToList(), PageCursors.Encode(page.Next)));
        }).RequireAuthorization(Scopes.CardsRead);

        api.MapGet("/stats", async Task<Results<Ok<StatsResponse>, AdminFailure>> (string? from, string? to, string? bucket, CardService cards,
            CancellationToken ct) =>
        {
            var (start, end, size) = (QueryValues.Time(from, "from"), QueryValues.Time(to, "to"), QueryValues.Bucket(bucket));
            if ((start.Error ?? end.Error ?? size.Error) is { } error)
                return AdminFailure.From(error);
            return (await cards.StatsAsync(start.Value, end.Value, size.Value, ct)).Ok(buckets => new StatsResponse(
                buckets.Count > 0 ? buckets[0].From : start.Value ?? default, buckets.Count > 0 ? buckets[^1].To : end.Value ?? default,
                bucket ?? "1h", buckets.Select(StatsBucketResponse.From).ToList()));
        }).RequireAuthorization(Scopes.CardsRead);
        return app;
    }

    /// <summary>A JSON merge patch: members present are changed, a limit sent as null is removed, unknown members are refused.</summary>
    private static async Task<CardResult<CardPatch>> ReadPatchAsync(HttpRequest request, CancellationToken ct)
    {
        JsonObject? body;
        try
        {
            // A member given twice is refused while parsing; JsonObject would otherwise throw on first enumeration.
            body = await JsonNode.ParseAsync(request.Body, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false },
                cancellationToken: ct) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }
        if (body is null)
            return CardError.Invalid("Send a JSON object, each member once: {\"name\"?, \"perTapLimitSat\"?, \"dailyLimitSat\"?, \"paymentPolicy\"?}.");
        string[] known = ["name", "perTapLimitSat", "dailyLimitSat", "paymentPolicy"];
        if (body.Select(p => p.Key).FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            return CardError.Invalid($"Unknown member '{unknown}'; a card PATCH takes {string.Join(", ", known)}.");
        try
        {
            long? Sat(string name) => body[name] is { } node ? node.GetValue<long>() : null;
            return new CardPatch(body["name"]?.GetValue<string>(), body.ContainsKey("name"), Sat("perTapLimitSat"), body.ContainsKey("perTapLimitSat"),
                Sat("dailyLimitSat"), body.ContainsKey("dailyLimitSat"), body["paymentPolicy"]?.GetValue<string>(), body.ContainsKey("paymentPolicy"));
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            return CardError.Invalid("name and paymentPolicy are strings; limits are whole sat or null.");
        }
    }
}
