using BoltGate.Server.Admin;
using BoltGate.Server.Configuration;
using BoltGate.Server.Errors;
using BoltGate.Server.Lnurl;
using BoltGate.Storage;
using BoltGate.Storage.Programming;

namespace BoltGate.Server.Programming;

/// <summary>
/// Card programming (docs/api.md "Card programming"): the admin hands out one-time links; the Bolt
/// Card Programmer app (or <c>boltgate-nfc burn --program-url</c> / <c>wipe --reset-url</c>) redeems
/// one. Every answer that carries keys or a code is <c>Cache-Control: no-store</c>.
/// </summary>
public static class ProgrammingEndpoints
{
    public const string CreatePath = "/programming/create";
    public const string ProgramPath = "/programming/program";
    public const string ResetPath = "/programming/reset";
    private const int DefaultExpiryMinutes = 60;
    private const int MaxExpiryMinutes = 7 * 24 * 60;

    public static IEndpointRouteBuilder MapProgramming(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1").AddEndpointFilter<AdminAuthFilter>();

        admin.MapPost("/programming-links", async (ProgrammingLinkRequest? body, HttpContext http, BoltGateStore store,
            GatewayOptions options, PublicUrls urls, TimeProvider time, CancellationToken ct) =>
        {
            if (body is null)
                return AdminEndpoints.Bad("Send a JSON body: {\"name\", \"perTapLimitSat\"?, \"dailyLimitSat\"?, \"uidPrivacy\"?, \"expiresInMinutes\"?}.");
            if (urls.ProgrammingProblem() is { } urlProblem)
                return Results.Json(new AdminError("PUBLIC_URL_REQUIRED", urlProblem), statusCode: StatusCodes.Status409Conflict);
            if (AdminEndpoints.Limits(body.PerTapLimitSat, body.DailyLimitSat, options, out var perTap, out var daily) is { } limitError)
                return limitError;
            var minutes = body.ExpiresInMinutes ?? DefaultExpiryMinutes;
            if (minutes is < 1 or > MaxExpiryMinutes)
                return AdminEndpoints.Bad($"expiresInMinutes must be between 1 and {MaxExpiryMinutes}.");
            var code = ProgrammingCode.New();
            var expiresAt = time.GetUtcNow().AddMinutes(minutes);
            var name = string.IsNullOrWhiteSpace(body.Name) ? "card" : body.Name.Trim();
            await store.CreateProgrammingCodeAsync(new NewProgrammingCode(ProgrammingCode.Hash(code),
                new ProgrammingGrant(name, perTap, daily, body.UidPrivacy ?? true), expiresAt), ct);
            var b = urls.Base(http.Request);
            var query = "?code=" + code;
            var programUrl = b + ProgramPath + query;
            var resetUrl = b + ResetPath + query;
            NoStore(http);
            var createUrl = b + CreatePath + query;
            return Results.Json(new ProgrammingLinkResponse(code, expiresAt, createUrl, programUrl, resetUrl,
                "boltcard://program?url=" + Uri.EscapeDataString(programUrl), "boltcard://reset?url=" + Uri.EscapeDataString(resetUrl))
                { CreateQrSvg = ScanForms.Svg(createUrl) },
                statusCode: StatusCodes.Status201Created);
        });

        admin.MapGet("/cards/{id}/wipe", async (string id, HttpContext http, BoltGateStore store, CardKeyRing keyRing, CancellationToken ct) =>
        {
            if (await store.GetCardAsync(id, ct) is not { } card)
                return AdminEndpoints.NotFound();
            if (await keyRing.KeysOfAsync(card, ct) is not { } keys)
                return AdminEndpoints.NotFound("CARD_KEYS_UNKNOWN");
            NoStore(http);
            return Results.Json(WipeResponse.From(card.Id, card.UidHex, keys));
        });

        admin.MapPost("/cards/{id}/reset", async (string id, BoltGateStore store, TimeProvider time, CancellationToken ct) =>
            await store.MarkResetAsync(id, ct) is { } card
                ? Results.Json(CardResponse.From(card, (await store.GetDailyUsageAsync(card.Id, time.GetUtcNow(), ct)).Value))
                : AdminEndpoints.NotFound());

        app.MapGet(CreatePath, (HttpContext http, ProgrammingService programming, PublicUrls urls) =>
            RedeemAsync(http, urls, code => programming.CreateAsync(code, urls.Lnurlw(http.Request), http.RequestAborted)));
        app.MapPost(ProgramPath, (ProgramRequest? body, HttpContext http, ProgrammingService programming, PublicUrls urls) =>
            RedeemAsync(http, urls, code => programming.ProgramAsync(code, body?.Uid, urls.Lnurlw(http.Request), http.RequestAborted)));
        app.MapPost(ResetPath, (ResetRequest? body, HttpContext http, ProgrammingService programming, PublicUrls urls) =>
            RedeemAsync(http, null, code => programming.ResetAsync(code, body?.Lnurlw, urls.Lnurlw(http.Request), http.RequestAborted)));
        return app;
    }

    /// <summary>Extension point for Program.cs: the services these routes use.</summary>
    public static IServiceCollection AddProgramming(this IServiceCollection services) =>
        services.AddSingleton<CardKeyRing>().AddSingleton<ProgrammingService>();

    /// <summary>The app's three requests: the link's code, then the answer or the ERROR form (never cached).</summary>
    /// <remarks><paramref name="urls"/> is given where the answer is burned onto a card: it must then be reachable (https).</remarks>
    private static async Task<IResult> RedeemAsync<T>(HttpContext http, PublicUrls? urls, Func<string, Task<(T? Answer, Refusal? Refusal)>> redeem)
        where T : class
    {
        NoStore(http);
        if (Code(http) is not { } code)
            return ErrorCatalog.ToResult(GatewayError.BadRequest, "Give the link's code exactly once.");
        if (urls?.ProgrammingProblem() is not null)
            return ErrorCatalog.ToResult(GatewayError.PublicUrlRequired);
        var (answer, refusal) = await redeem(code);
        return answer is null ? ErrorCatalog.ToResult(refusal!) : Results.Json(answer);
    }

    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store";

    private static string? Code(HttpContext http) =>
        http.Request.Query.TryGetValue("code", out var v) && v is [{ Length: > 0 } code] ? code : null;
}
