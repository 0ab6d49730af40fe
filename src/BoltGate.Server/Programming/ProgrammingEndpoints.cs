using BoltGate.Server.Errors;
using BoltGate.Server.Lnurl;

namespace BoltGate.Server.Programming;

/// <summary>
/// Card programming (docs/api.md "Card programming"): the admin hands out one-time links
/// (Admin/ProgrammingAdminEndpoints); the Bolt Card Programmer app (or <c>boltgate-nfc burn --program-url</c> /
/// <c>wipe --reset-url</c>) redeems one here. Every answer that carries keys or a code is <c>Cache-Control: no-store</c>.
/// </summary>
public static class ProgrammingEndpoints
{
    public const string CreatePath = "/programming/create";
    public const string ProgramPath = "/programming/program";
    public const string ResetPath = "/programming/reset";

    public static IEndpointRouteBuilder MapProgramming(this IEndpointRouteBuilder app)
    {
        app.MapGet(CreatePath, (HttpContext http, ProgrammingService programming, PublicUrls urls) =>
            RedeemAsync(http, urls, code => programming.CreateAsync(code, urls.Lnurlw(http.Request), http.RequestAborted)));
        app.MapPost(ProgramPath, (ProgramRequest? body, HttpContext http, ProgrammingService programming, PublicUrls urls) =>
            RedeemAsync(http, urls, code => programming.ProgramAsync(code, body?.Uid, urls.Lnurlw(http.Request), http.RequestAborted)));
        app.MapPost(ResetPath, (ResetRequest? body, HttpContext http, ProgrammingService programming, PublicUrls urls) =>
            RedeemAsync(http, null, code => programming.ResetAsync(code, body?.Lnurlw, urls.Lnurlw(http.Request), http.RequestAborted)));
        return app;
    }

    /// <summary>Extension point for Program.cs: the service these routes use (with Cards/CardsSetup's key ring).</summary>
    public static IServiceCollection AddProgramming(this IServiceCollection services) =>
        services.AddSingleton<ProgrammingService>();

    /// <summary>The URLs and deeplinks of an issued link, under the gateway's public base URL.</summary>
    public static ProgrammingLinkResponse LinkResponse(string baseUrl, IssuedLink link)
    {
        var query = "?code=" + link.Code;
        var programUrl = baseUrl + ProgramPath + query;
        var resetUrl = baseUrl + ResetPath + query;
        var createUrl = baseUrl + CreatePath + query;
        return new ProgrammingLinkResponse(link.Code, link.ExpiresAt, createUrl, programUrl, resetUrl,
            "boltcard://program?url=" + Uri.EscapeDataString(programUrl), "boltcard://reset?url=" + Uri.EscapeDataString(resetUrl))
        { CreateQrSvg = ScanForms.Svg(createUrl) };
    }

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

    public static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store";

    private static string? Code(HttpContext http) =>
        http.Request.Query.TryGetValue("code", out var v) && v is [{ Length: > 0 } code] ? code : null;
}
