using BoltGate.Core.Lnurl;
using BoltGate.Server.Configuration;

namespace BoltGate.Server.Errors;

/// <summary>
/// An LNURL ERROR answer. The body is always <c>{"status":"ERROR","reason","code"}</c>, written readably
/// (<see cref="LnurlJsonContext.Readable"/>); the status is 200 unless <c>Lnurl:ErrorStatus=http4xx</c>, in
/// which case it is the catalog's. Wallet libraries (LNbits' <c>lnurl</c>, js-lnurl) give up on a 4xx
/// before they read the body, and the holder then sees a raw URL instead of the reason.
/// </summary>
public sealed class LnurlErrorResult(LnurlStatus body, int catalogStatus, TimeSpan? retryAfter = null) : IResult, IStatusCodeHttpResult
{
    public LnurlStatus Body { get; } = body;

    /// <summary>The catalog's status, answered under <c>Lnurl:ErrorStatus=http4xx</c>.</summary>
    public int CatalogStatus { get; } = catalogStatus;

    int? IStatusCodeHttpResult.StatusCode => CatalogStatus;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var options = httpContext.RequestServices.GetService<GatewayOptions>();
        var status = options?.Lnurl.UsesHttp4xx == true ? CatalogStatus : StatusCodes.Status200OK;
        if (retryAfter is { } wait)
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Json(Body, LnurlJsonContext.Readable.LnurlStatus, statusCode: status).ExecuteAsync(httpContext);
    }
}
