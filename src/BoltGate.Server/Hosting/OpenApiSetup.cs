using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace BoltGate.Server.Hosting;

/// <summary>
/// The API's description: <c>/openapi/v1.json</c> (Microsoft.AspNetCore.OpenApi, built from each route's typed
/// results, so errors are described as the problem details they are) and an interactive reference at
/// <c>/docs</c> (Scalar, whose script is served from the package's embedded assets, not a CDN).
/// </summary>
public static class OpenApiSetup
{
    private const string DocumentName = "v1";

    public static IServiceCollection AddGatewayOpenApi(this IServiceCollection services) =>
        services.AddSingleton<OpenApiDocumentCache>().AddOpenApi(DocumentName, options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "BoltGate admin API";
            document.Info.Description = "Bearer API keys with scopes (cards:read, cards:write, funds:write, admin); errors are " +
                "application/problem+json with a stable code. See docs/api.md.";
            return Task.CompletedTask;
        }));

    public static WebApplication MapGatewayOpenApi(this WebApplication app)
    {
        app.MapGet("/openapi/{documentName}.json", async (string documentName, OpenApiDocumentCache cache, CancellationToken ct) =>
                documentName == DocumentName ? Results.Bytes(await cache.GetAsync(ct).ConfigureAwait(false), "application/json;charset=utf-8") : Results.NotFound())
            .ExcludeFromDescription();
        app.MapScalarApiReference("/docs", options => options.WithTitle("BoltGate admin API").WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// The document, built once. The endpoint table does not change after start, and building it costs about 15 MB of
    /// allocations and 150 ms (issue 16: the fuzz load's peak memory was mostly this, once per request). Built
    /// without a request, the document has no <c>servers</c> list, so it names no host: its paths are relative
    /// to wherever it was fetched from, whatever Host header asked for it.
    /// </summary>
    internal sealed class OpenApiDocumentCache(IServiceProvider services)
    {
        private readonly SemaphoreSlim _building = new(1, 1);
        private byte[]? _json;

        public async Task<byte[]> GetAsync(CancellationToken ct)
        {
            if (Volatile.Read(ref _json) is { } built)
                return built;
            await _building.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (_json is null)
                {
                    var document = await services.GetRequiredKeyedService<IOpenApiDocumentProvider>(DocumentName).GetOpenApiDocumentAsync(ct).ConfigureAwait(false);
                    var json = await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, ct).ConfigureAwait(false);
                    Volatile.Write(ref _json, System.Text.Encoding.UTF8.GetBytes(json));
                }
                return _json!;
            }
            finally
            {
                _building.Release();
            }
        }
    }
}
