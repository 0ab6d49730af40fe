using BoltGate.Server.Auth;
using BoltGate.Server.Cards;
using BoltGate.Server.Lnurl;
using Microsoft.AspNetCore.Http.HttpResults;

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

        api.MapPost("/cards/{id}/credit", async Task<Results<Ok<CardResponse>, AdminFailure>> (string id, CreditRequest? body,
            CardService cards, CancellationToken ct) =>
            (await cards.CreditAsync(id, body?.AmountSat, body?.Reason, ct)).Ok(CardResponse.From))
            .RequireAuthorization(Scopes.FundsWrite);

        api.MapPost("/cards/{id}/debit", async Task<Results<Ok<CardResponse>, AdminFailure>> (string id, DebitRequest? body,
            CardService cards, CancellationToken ct) =>
            (await cards.DebitAsync(id, body?.AmountSat, body?.Reason, ct)).Ok(CardResponse.From))
            .RequireAuthorization(Scopes.FundsWrite);

        api.MapGet("/cards/{id}", async Task<Results<Ok<CardResponse>, AdminFailure>> (string id, CardService cards, CancellationToken ct) =>
            (await cards.GetAsync(id, ct)).Ok(CardResponse.From))
            .RequireAuthorization(Scopes.CardsRead);

        api.MapGet("/cards/{id}/withdrawals", async Task<Results<Ok<IEnumerable<WithdrawalResponse>>, AdminFailure>> (string id,
            CardService cards, CancellationToken ct) =>
            (await cards.WithdrawalsAsync(id, 100, ct)).Ok(list => list.Select(WithdrawalResponse.From)))
            .RequireAuthorization(Scopes.CardsRead);

        api.MapGet("/cards/{id}/ledger", async Task<Results<Ok<IEnumerable<LedgerEntryResponse>>, AdminFailure>> (string id,
            CardService cards, CancellationToken ct) =>
            (await cards.LedgerAsync(id, ct)).Ok(list => list.Select(LedgerEntryResponse.From)))
            .RequireAuthorization(Scopes.CardsRead);

        api.MapGet("/withdrawals/{id}", async Task<Results<Ok<WithdrawalResponse>, AdminFailure>> (string id, CardService cards,
            CancellationToken ct) =>
            (await cards.GetWithdrawalAsync(id, ct)).Ok(WithdrawalResponse.From))
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
}
