using System.Text.Json;
using BoltGate.Server.Auth;
using BoltGate.Server.Cards;
using BoltGate.Server.Lnurl;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BoltGate.Server.Admin;

/// <summary>
/// The card routes of the admin API (docs/api.md): create or import cards, credit and debit them, read
/// them with their withdrawals and ledger, enable/disable, set limits and the PIN. Each route binds its
/// request, asks <see cref="CardService"/> and maps the answer (<see cref="AdminAnswers"/>); each names
/// the scope it needs (<see cref="Scopes"/>).
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");

        api.MapPost("/cards", async Task<Results<Created<CardCreatedResponse>, AdminFailure>> (CreateCardRequest? body, HttpRequest http,
            CardService cards, PublicUrls urls, CancellationToken ct) =>
        {
            if (body is null)
                return AdminFailure.BadRequest("Send a JSON body: {\"name\", \"uid\"?, \"perTapLimitSat\"?, \"dailyLimitSat\"?}.");
            return (await cards.CreateAsync(body.Name, body.Uid, body.PerTapLimitSat, body.DailyLimitSat, ct))
                .Created(created => CardCreatedResponse.From(created, urls.Lnurlw(http)));
        }).RequireAuthorization(Scopes.CardsWrite);

        api.MapPost("/cards/import", async Task<Results<Created<CardResponse>, AdminFailure>> (ImportCardRequest? body, CardService cards,
            CancellationToken ct) =>
        {
            if (body is null)
                return AdminFailure.BadRequest("Send a JSON body: {\"name\", \"uid\"?, \"k0\"..\"k4\", \"keyVersion\"?, limits?}.");
            return (await cards.ImportAsync(body.Name, body.Uid, [body.K0, body.K1, body.K2, body.K3, body.K4], body.KeyVersion,
                body.PerTapLimitSat, body.DailyLimitSat, ct)).Created(CardResponse.From);
        }).RequireAuthorization(Scopes.CardsWrite);

        api.MapPost("/cards/{id}/credit", async Task<Results<Ok<CardResponse>, ContentHttpResult, AdminFailure>> (string id, CreditRequest? body,
            [Microsoft.AspNetCore.Mvc.FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, CardService cards, IOptions<JsonOptions> json, CancellationToken ct) =>
            idempotencyKey is null
                ? Plain(await cards.CreditAsync(id, body?.AmountSat, body?.Reason, ct))
                : Replayable(await cards.CreditOnceAsync(id, body?.AmountSat, body?.Reason, idempotencyKey, Render(json), ct)))
            .RequireAuthorization(Scopes.FundsWrite);

        api.MapPost("/cards/{id}/debit", async Task<Results<Ok<CardResponse>, ContentHttpResult, AdminFailure>> (string id, DebitRequest? body,
            [Microsoft.AspNetCore.Mvc.FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, CardService cards, IOptions<JsonOptions> json, CancellationToken ct) =>
            idempotencyKey is null
                ? Plain(await cards.DebitAsync(id, body?.AmountSat, body?.Reason, ct))
                : Replayable(await cards.DebitOnceAsync(id, body?.AmountSat, body?.Reason, idempotencyKey, Render(json), ct)))
            .RequireAuthorization(Scopes.FundsWrite);

        api.MapGet("/cards/{id}", async Task<Results<Ok<CardDetailResponse>, AdminFailure>> (string id, CardService cards, CancellationToken ct) =>
            (await cards.DetailAsync(id, ct)).Ok(CardDetailResponse.From))
            .RequireAuthorization(Scopes.CardsRead);

        api.MapGet("/cards/{id}/withdrawals", async Task<Results<Ok<IEnumerable<WithdrawalResponse>>, AdminFailure>> (string id,
            CardService cards, CancellationToken ct) =>
            (await cards.WithdrawalsAsync(id, 100, ct)).Ok(list => list.Select(WithdrawalResponse.From)))
            .RequireAuthorization(Scopes.CardsRead);

        api.MapGet("/cards/{id}/ledger", async Task<Results<Ok<PageResponse<LedgerEntryResponse>>, AdminFailure>> (string id, string? limit,
            string? cursor, CardService cards, CancellationToken ct) =>
        {
            var size = QueryValues.Int(limit, "limit");
            if (size.Error is { } error)
                return AdminFailure.From(error);
            return (await cards.LedgerPageAsync(id, size.Value, cursor, ct)).Ok(page =>
                new PageResponse<LedgerEntryResponse>(page.Items.Select(LedgerEntryResponse.From).ToList(), PageCursors.Encode(page.Next)));
        }).RequireAuthorization(Scopes.CardsRead);

        api.MapGet("/withdrawals/{id}", async Task<Results<Ok<WithdrawalDetailResponse>, AdminFailure>> (string id, CardService cards,
            CancellationToken ct) =>
            (await cards.WithdrawalDetailAsync(id, ct)).Ok(WithdrawalDetailResponse.From))
            .RequireAuthorization(Scopes.CardsRead);

        api.MapPost("/cards/{id}/enable", async Task<Results<Ok<CardResponse>, AdminFailure>> (string id, CardService cards,
            CancellationToken ct) =>
            (await cards.SetEnabledAsync(id, true, ct)).Ok(CardResponse.From))
            .RequireAuthorization(Scopes.CardsWrite);

        api.MapPost("/cards/{id}/disable", async Task<Results<Ok<CardResponse>, AdminFailure>> (string id, CardService cards,
            CancellationToken ct) =>
            (await cards.SetEnabledAsync(id, false, ct)).Ok(CardResponse.From))
            .RequireAuthorization(Scopes.CardsWrite);

        api.MapPut("/cards/{id}/limits", async Task<Results<Ok<CardResponse>, AdminFailure>> (string id, LimitsRequest? body,
            CardService cards, CancellationToken ct) =>
        {
            if (body is null)
                return AdminFailure.BadRequest("Send {\"perTapLimitSat\"?, \"dailyLimitSat\"?}; null or absent removes a limit.");
            return (await cards.SetLimitsAsync(id, body.PerTapLimitSat, body.DailyLimitSat, ct)).Ok(CardResponse.From);
        }).RequireAuthorization(Scopes.CardsWrite);

        api.MapPut("/cards/{id}/pin", async Task<Results<Ok<CardResponse>, AdminFailure>> (string id, PinRequest? body, CardService cards,
            CancellationToken ct) =>
            (await cards.SetPinAsync(id, body?.Pin, body?.PinLimitSat, ct)).Ok(CardResponse.From))
            .RequireAuthorization(Scopes.CardsWrite);

        api.MapDelete("/cards/{id}/pin", async Task<Results<Ok<CardResponse>, AdminFailure>> (string id, CardService cards,
            CancellationToken ct) =>
            (await cards.ClearPinAsync(id, ct)).Ok(CardResponse.From))
            .RequireAuthorization(Scopes.CardsWrite);

        return app;
    }

    /// <summary>Credit and debit take this header: the same key twice moves money once and answers the first answer again.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    private static Func<CardView, string> Render(IOptions<JsonOptions> json) =>
        view => JsonSerializer.Serialize(CardResponse.From(view), json.Value.SerializerOptions);

    private static Results<Ok<CardResponse>, ContentHttpResult, AdminFailure> Plain(CardResult<CardView> result) =>
        result.Error is { } error ? AdminFailure.From(error) : TypedResults.Ok(CardResponse.From(result.Value!));

    private static Results<Ok<CardResponse>, ContentHttpResult, AdminFailure> Replayable(CardResult<string> answer) =>
        answer.Error is { } error ? AdminFailure.From(error) : TypedResults.Text(answer.Value!, "application/json", statusCode: 200);
}
