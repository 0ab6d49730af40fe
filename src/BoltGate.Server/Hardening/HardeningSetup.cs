using System.Threading.RateLimiting;
using BoltGate.Server.Configuration;
using BoltGate.Server.Errors;
using BoltGate.Server.Metrics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace BoltGate.Server.Hardening;

/// <summary>
/// What every answer gets whatever the route (SECURITY.md): security headers, <c>no-store</c> unless the
/// route says otherwise, a small request-body limit, answers with a body in the route's own error form
/// for the framework's 405/415 and unreadable bodies, and the per-address request limit on the LNURL routes.
/// </summary>
public static class HardeningSetup
{
    /// <summary>The largest request body a route takes unless its metadata names another (admin JSON, the programming app's POSTs).</summary>
    public const long MaxBodyBytes = 16 * 1024;

    /// <summary>LNURL routes are GETs without a body; this much is tolerated from odd clients.</summary>
    public const long MaxLnurlBodyBytes = 1024;

    private const string Http415 = "415 HTTP Unsupported Media Type";
    private const string Http405 = "405 HTTP Method Not Supported";

    public static IServiceCollection AddHardening(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        services.AddSingleton<FailureLimiter>();
        services.AddSingleton<CallbackLimits>();
        // A body the route's binder cannot read throws, so the error handler answers in the route's form (not an empty 400).
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var options = http.RequestServices.GetRequiredService<RateLimitOptions>();
                if (!options.Enabled || !IsLnurl(http.Request.Path))
                    return RateLimitPartition.GetNoLimiter("unlimited");
                return RateLimitPartition.GetFixedWindowLimiter("lnurl:" + FailureLimiter.Address(http), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, options.LnurlRequestsPerAddress),
                    Window = options.Window,
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (context, _) =>
            {
                var options = context.HttpContext.RequestServices.GetRequiredService<RateLimitOptions>();
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : options.Window;
                await RateLimited(context.HttpContext, wait).ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    /// <summary>After routing, before authentication: headers and the LNURL request limit.</summary>
    public static WebApplication UseHardeningHeaders(this WebApplication app)
    {
        var publicUrl = app.Services.GetRequiredService<GatewayOptions>().Gateway.PublicUrl;
        var httpsPublic = publicUrl?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true;
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                SecurityHeaders(http.Response, http.Request.IsHttps || httpsPublic);
                return Task.CompletedTask;
            });
            return next(http);
        });
        app.UseRateLimiter();
        return app;
    }

    /// <summary>After authorization (so a caller without a key is told 401 first): body limits and the framework's bodiless 405/415.</summary>
    public static WebApplication UseHardeningBodies(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            var endpoint = http.GetEndpoint();
            if (endpoint?.DisplayName is Http415 or Http405)
            {
                await Rejection(http, endpoint.DisplayName == Http415).ConfigureAwait(false);
                return;
            }
            var limit = endpoint?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
                ?? (IsLnurl(http.Request.Path) ? MaxLnurlBodyBytes : MaxBodyBytes);
            if (limit is { } max)
            {
                if (http.Request.ContentLength > max)
                {
                    await TooLarge(http, max).ExecuteAsync(http).ConfigureAwait(false);
                    return;
                }
                if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                    feature.MaxRequestBodySize = max;
            }
            await next(http).ConfigureAwait(false);
            // The framework refused without a word (a body cut off at the limit while being read, ...): say it in the route's form.
            if (endpoint is not null && !http.Response.HasStarted && http.Response.StatusCode >= 400)
                await Unexplained(http, http.Response.StatusCode).ExecuteAsync(http).ConfigureAwait(false);
        });
        return app;
    }

    private static IResult Unexplained(HttpContext http, int status)
    {
        if (status == StatusCodes.Status413PayloadTooLarge)
            return TooLarge(http, http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? MaxBodyBytes);
        if (SpeaksLnurl(http.Request.Path))
            return ErrorCatalog.ToResult(GatewayError.BadRequest, "The request could not be read.");
        var code = status switch
        {
            StatusCodes.Status415UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            StatusCodes.Status404NotFound => "NOT_FOUND",
            StatusCodes.Status405MethodNotAllowed => "METHOD_NOT_ALLOWED",
            _ => "BAD_REQUEST",
        };
        return AdminProblem.Result(status, code, "The request could not be read: send a JSON body of the route's shape (docs/api.md).");
    }

    /// <summary>
    /// Every answer: no MIME sniffing, no referrer, never framed, and a CSP that allows this origin's own
    /// resources only (pages may set a stricter one); HSTS when served over TLS. Not cached unless the
    /// route says so: answers carry keys, codes, k1s and balances.
    /// </summary>
    public static void SecurityHeaders(HttpResponse response, bool tls)
    {
        var h = response.Headers;
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        h.XFrameOptions = "DENY";
        if (string.IsNullOrEmpty(h.ContentSecurityPolicy))
            h.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        if (string.IsNullOrEmpty(h.CacheControl))
            h.CacheControl = "no-store";
        if (tls)
            h.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
        h.Remove("Server");
    }

    /// <summary>RATE_LIMITED in the route's form, with <c>Retry-After</c> in whole seconds.</summary>
    public static IResult RateLimited(HttpContext http, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (SpeaksLnurl(http.Request.Path))
        {
            http.RequestServices.GetService<GatewayMetrics>()?.Rejected("RATE_LIMITED");
            return ErrorCatalog.ToResult(GatewayError.RateLimited, $"Too many requests; try again in {seconds} s.");
        }
        return TypedResults.Problem($"Too many requests from this address; try again in {seconds} s.", statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too Many Requests", extensions: new Dictionary<string, object?> { ["code"] = "RATE_LIMITED" });
    }

    /// <summary>The LNURL routes (taps, callbacks, balance checks).</summary>
    public static bool IsLnurl(PathString path) => path.StartsWithSegments("/ln");

    /// <summary>Routes whose clients read the LNURL ERROR form: the LNURL routes and the programming app's.</summary>
    public static bool SpeaksLnurl(PathString path) => IsLnurl(path) || path.StartsWithSegments("/programming");

    private static IResult TooLarge(HttpContext http, long max) => SpeaksLnurl(http.Request.Path)
        ? ErrorCatalog.ToResult(GatewayError.BadRequest, $"The request body is larger than {max} bytes.")
        : AdminProblem.Result(StatusCodes.Status413PayloadTooLarge, "BODY_TOO_LARGE", $"The request body is larger than {max} bytes.");

    private static async Task Rejection(HttpContext http, bool unsupportedMediaType)
    {
        if (!SpeaksLnurl(http.Request.Path) && http.Request.Path.StartsWithSegments("/api") && http.User.Identity?.IsAuthenticated != true)
        {
            // The route exists and wants a key: someone without one learns nothing about what it takes.
            await http.ChallengeAsync().ConfigureAwait(false);
            return;
        }
        IResult result = SpeaksLnurl(http.Request.Path)
            ? ErrorCatalog.ToResult(GatewayError.BadRequest, unsupportedMediaType
                ? "Send the body as application/json." : $"This route does not take {http.Request.Method}.")
            : unsupportedMediaType
                ? AdminProblem.Result(StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json.")
                : AdminProblem.Result(StatusCodes.Status405MethodNotAllowed, "METHOD_NOT_ALLOWED", $"This route does not take {http.Request.Method}.");
        await result.ExecuteAsync(http).ConfigureAwait(false);
    }
}
