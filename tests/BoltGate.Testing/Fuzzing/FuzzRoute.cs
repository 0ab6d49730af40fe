using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BoltGate.Testing.Fuzzing;

/// <summary>One route as the app maps it: its method and template (<c>/api/v1/cards/{id}/credit</c>).</summary>
public sealed record FuzzRoute(string Method, string Template)
{
    /// <summary>Every route the app maps, read from its <see cref="EndpointDataSource"/>: routes added later are fuzzed without a change here.</summary>
    public static IReadOnlyList<FuzzRoute> All(IServiceProvider services) => services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            .Select(m => new FuzzRoute(m, "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))))
        .Distinct()
        .OrderBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
        .ToList();

    /// <summary>The LNURL routes and the programming app's: their clients read only the LNURL ERROR form.</summary>
    public bool SpeaksLnurl => Template.StartsWith("/ln", StringComparison.Ordinal) || Template.StartsWith("/programming", StringComparison.Ordinal);
}
