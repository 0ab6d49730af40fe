using Scalar.AspNetCore;

namespace BoltGate.Server.Hosting;

/// <summary>
/// The API's description: <c>/openapi/v1.json</c> (Microsoft.AspNetCore.OpenApi, built from each route's typed
/// results, so errors are described as the problem details they are) and an interactive reference at
/// <c>/docs</c> (Scalar, whose script is served from the package's embedded assets, not a CDN).
/// </summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddGatewayOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "BoltGate admin API";
            document.Info.Description = "Bearer API keys with scopes (cards:read, cards:write, funds:write, admin); errors are " +
                "application/problem+json with a stable code. See docs/api.md.";
            return Task.CompletedTask;
        }));

    public static WebApplication MapGatewayOpenApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").ExcludeFromDescription();
        app.MapScalarApiReference("/docs", options => options.WithTitle("BoltGate admin API").WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .ExcludeFromDescription();
        return app;
    }
}
