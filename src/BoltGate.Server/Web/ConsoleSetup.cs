using BoltGate.Server.Auth;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace BoltGate.Server.Web;

/// <summary>
/// The web console (<c>/console</c>, Razor Pages) and the holder's balance page (<c>/balance</c>):
/// the cookie scheme beside the API key (a policy scheme picks the cookie for console paths, the bearer
/// key elsewhere, so the API keeps its 401), antiforgery, and the security headers of every page.
/// </summary>
public static class ConsoleSetup
{
    public const string Cookie = CookieAuthenticationDefaults.AuthenticationScheme;
    private const string Auto = "BoltGateAuto";

    public static IServiceCollection AddConsole(this IServiceCollection services, IConfiguration configuration)
    {
        var idle = TimeSpan.FromMinutes(configuration.GetValue("Console:IdleMinutes", 20));
        services.AddSingleton<ConsoleUsers>();
        services.AddSingleton<ConsoleLimits>();
        services.AddSingleton<HolderBalance>();
        services.AddSingleton<ConsoleAssets>();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Auto;
                o.DefaultChallengeScheme = Auto;
                o.DefaultForbidScheme = Auto;
            })
            .AddPolicyScheme(Auto, "API key or console cookie", o => o.ForwardDefaultSelector = http =>
                http.Request.Path.StartsWithSegments("/console") ? Cookie : ApiKeyAuthenticationHandler.SchemeName)
            .AddCookie(Cookie, o =>
            {
                o.Cookie.Name = "boltgate.console";
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.Path = "/console";
                o.ExpireTimeSpan = idle;
                o.SlidingExpiration = true;
                o.LoginPath = "/console/login";
                o.LogoutPath = "/console/logout";
                o.Events.OnRedirectToAccessDenied = ctx =>
                {
                    ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return ctx.Response.WriteAsync("Your role may not open this page.");
                };
            });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "boltgate.af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.HeaderName = "X-CSRF-Token";
        });
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/Console", Scopes.CardsRead);
            o.Conventions.AllowAnonymousToPage("/Console/Login");
            o.Conventions.AllowAnonymousToPage("/Console/Setup");
            o.Conventions.AuthorizePage("/Console/Users", Scopes.Admin);
            // Webhooks and API keys: the API's routes need scope admin, so the pages need the admin role.
            o.Conventions.AuthorizePage("/Console/Webhooks", Scopes.Admin);
            o.Conventions.AuthorizePage("/Console/Webhook", Scopes.Admin);
            o.Conventions.AuthorizePage("/Console/Keys", Scopes.Admin);
        }).AddMvcOptions(o =>
        {
            // The jQuery-style key readers ("a[b]" as "a.b") throw ArgumentException on an unbalanced bracket in a
            // form or query key, a 500 for any anonymous POST; the pages bind plain names and need neither.
            o.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
            o.ValueProviderFactories.RemoveType<JQueryQueryStringValueProviderFactory>();
        });
        return services;
    }

    /// <summary>Security headers for the pages (before anything writes a response).</summary>
    public static WebApplication UseConsoleHeaders(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            var path = http.Request.Path;
            if (path.StartsWithSegments("/console") || path.StartsWithSegments("/balance"))
            {
                var h = http.Response.Headers;
                h.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
                    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
                h.XContentTypeOptions = "nosniff";
                h["Referrer-Policy"] = "no-referrer";
                h.XFrameOptions = "DENY";
                if (!path.StartsWithSegments(ConsoleAssets.Prefix.TrimEnd('/')))
                    h.CacheControl = "no-store";
            }
            return next(http);
        });
        return app;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        app.Services.GetRequiredService<ConsoleAssets>().Map(app);
        // Pages are for people: the OpenAPI document describes the API only.
        app.MapRazorPages().ExcludeFromDescription();
        return app;
    }
}
