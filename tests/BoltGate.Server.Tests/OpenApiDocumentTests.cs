using System.Net;
using System.Text.Json;
using BoltGate.Storage;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BoltGate.Server.Tests;

/// <summary>The OpenAPI document describes every mapped admin route with its answers, errors included; /docs serves the reference offline.</summary>
[Trait(Category.Name, Category.Contract)]
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private GatewayHost? _host;

    public async Task InitializeAsync() => _host = await GatewayHost.StartAsync(StorageProvider.Sqlite);

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }

    [Fact]
    public async Task Every_mapped_route_is_in_the_document_with_its_success_answer_and_admin_routes_with_their_problem_answers()
    {
        using var http = _host!.CreateClient();
        using var response = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var paths = doc.GetProperty("paths");
        // Every route but the document and reference themselves (excluded from description) and the Prometheus
        // text exposition, which is for scrapers, not integrators.
        var routes = _host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .Where(e => e.RoutePattern.RawText != "/metrics").ToList();
        Assert.Contains(routes, r => r.RoutePattern.RawText == "/ln");
        var adminRoutes = routes.Where(r => r.RoutePattern.RawText!.StartsWith("/api/v1", StringComparison.Ordinal)).ToList();
        Assert.True(adminRoutes.Count >= 25, $"only {adminRoutes.Count} admin routes");
        var missing = new List<string>();
        foreach (var route in routes)
        {
            // A group's "" route reads "/prefix/" in its raw text; the document names it "/prefix".
            var path = route.RoutePattern.RawText! is { Length: > 1 } raw ? raw.TrimEnd('/') : route.RoutePattern.RawText!;
            var method = route.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single().ToLowerInvariant();
            if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method, out var operation))
            {
                missing.Add($"{method} {path}");
                continue;
            }
            var answers = operation.GetProperty("responses");
            if (!answers.EnumerateObject().Any(a => a.Name.StartsWith('2')))
                missing.Add($"{method} {path}: no success answer");
            if (!path.StartsWith("/api/v1", StringComparison.Ordinal))
                continue;
            foreach (var status in new[] { "400", "401", "403" })
            {
                if (!answers.TryGetProperty(status, out var answer) || !answer.GetProperty("content").TryGetProperty("application/problem+json", out _))
                    missing.Add($"{method} {path}: no {status} problem answer");
            }
        }
        Assert.True(missing.Count == 0, "Not in /openapi/v1.json:\n" + string.Join("\n", missing));
        var problem = doc.GetProperty("components").GetProperty("schemas").GetProperty("AdminProblem").GetProperty("properties");
        Assert.True(problem.TryGetProperty("code", out _));
    }

    [Fact]
    public async Task The_reference_at_docs_loads_its_script_from_the_gateway_not_a_CDN()
    {
        using var http = _host!.CreateClient();
        using var page = await http.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("cdn.jsdelivr.net", html, StringComparison.OrdinalIgnoreCase);
        var script = System.Text.RegularExpressions.Regex.Match(html, "<script[^>]+src=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(script), html);
        using var js = await http.GetAsync(new Uri(new Uri(http.BaseAddress!, "/docs/"), script));
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
    }
}
