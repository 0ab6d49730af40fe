using BoltGate.Server.Auth;
using BoltGate.Server.Cards;
using BoltGate.Server.Lnurl;
using BoltGate.Server.Programming;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BoltGate.Server.Admin;

/// <summary>
/// The admin side of card programming (docs/api.md "Card programming"): issue a one-time link, read a
/// card's wipe JSON, mark a wiped card as reset. Answers carrying keys or a code are <c>Cache-Control: no-store</c>.
/// </summary>
public static class ProgrammingAdminEndpoints
{
    public static IEndpointRouteBuilder MapProgrammingAdmin(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");

        api.MapPost("/programming-links", async Task<Results<Created<ProgrammingLinkResponse>, AdminFailure>> (ProgrammingLinkRequest? body,
            HttpContext http, ProgrammingService programming, PublicUrls urls, CancellationToken ct) =>
        {
            if (body is null)
                return AdminFailure.BadRequest("Send a JSON body: {\"name\", \"perTapLimitSat\"?, \"dailyLimitSat\"?, \"uidPrivacy\"?, \"expiresInMinutes\"?}.");
            var issued = await programming.IssueLinkAsync(body.Name, body.PerTapLimitSat, body.DailyLimitSat, body.UidPrivacy,
                body.ExpiresInMinutes, ct);
            if (issued.Error is null)
                ProgrammingEndpoints.NoStore(http);
            return issued.Created(link => ProgrammingEndpoints.LinkResponse(urls.Base(http.Request), link));
        }).RequireAuthorization(Scopes.CardsWrite);

        api.MapGet("/cards/{id}/wipe", async Task<Results<Ok<WipeResponse>, AdminFailure>> (string id, HttpContext http, CardService cards,
            CancellationToken ct) =>
        {
            var wipe = await cards.WipeKeysAsync(id, ct);
            if (wipe.Error is null)
                ProgrammingEndpoints.NoStore(http);
            return wipe.Ok(w => WipeResponse.From(w.Card.Id, w.Card.UidHex, w.Keys));
        }).RequireAuthorization(Scopes.CardsWrite);

        api.MapPost("/cards/{id}/reset", async Task<Results<Ok<CardResponse>, AdminFailure>> (string id, CardService cards,
            CancellationToken ct) =>
            (await cards.MarkResetAsync(id, ct)).Ok(CardResponse.From))
            .RequireAuthorization(Scopes.CardsWrite);
        return app;
    }
}
