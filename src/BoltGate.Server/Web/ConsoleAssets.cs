using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace BoltGate.Server.Web;

/// <summary>
/// The console's static files (CSS, htmx, two small scripts), embedded in the server assembly so a
/// published or copied dll serves them from any working directory. Each is addressed with its content
/// hash (<see cref="Url"/>), so it is cached for a year and a new version is a new URL.
/// </summary>
public sealed class ConsoleAssets
{
    public const string Prefix = "/console/assets/";
    private const string ResourcePrefix = "BoltGate.Server.Web.Assets.";
    private readonly FrozenDictionary<string, (byte[] Body, string Type, string Hash)> _files;

    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var files = new Dictionary<string, (byte[], string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var body = copy.ToArray();
            var name = resource[ResourcePrefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            files[name] = (body, type, Convert.ToHexStringLower(SHA256.HashData(body))[..16]);
        }
        _files = files.ToFrozenDictionary();
    }

    /// <summary>The versioned URL of an asset; throws for a name that is not embedded (a typo fails the page, not silently).</summary>
    public string Url(string name) =>
        _files.TryGetValue(name, out var f) ? $"{Prefix}{name}?v={f.Hash}" : throw new ArgumentException($"No console asset '{name}'.", nameof(name));

    public void Map(IEndpointRouteBuilder app) =>
        app.MapGet(Prefix + "{name}", (string name, HttpContext http) =>
        {
            if (!_files.TryGetValue(name, out var f))
                return Results.NotFound();
            var etag = new EntityTagHeaderValue($"\"{f.Hash}\"");
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            http.Response.Headers.ETag = etag.ToString();
            if (http.Request.Headers.IfNoneMatch.ToString() == etag.ToString())
                return Results.StatusCode(StatusCodes.Status304NotModified);
            return Results.Bytes(f.Body, f.Type);
        }).ExcludeFromDescription(); // pages' assets, not API
}
