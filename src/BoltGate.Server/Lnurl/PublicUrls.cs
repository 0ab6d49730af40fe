using BoltGate.Server.Configuration;

namespace BoltGate.Server.Lnurl;

/// <summary>Absolute URLs the gateway hands out: from <c>Gateway:PublicUrl</c>, else from the request.</summary>
public sealed class PublicUrls(GatewayOptions options)
{
    public string Base(HttpRequest request)
    {
        if (!string.IsNullOrEmpty(options.Gateway.PublicUrl))
            return options.Gateway.PublicUrl.TrimEnd('/');
        return $"{request.Scheme}://{request.Host}{request.PathBase}".TrimEnd('/');
    }

    public string Callback(HttpRequest request) => Base(request) + "/ln/callback";

    /// <summary>The card's NDEF URL base (the card appends <c>?p=...&amp;c=...</c>), LUD-17 scheme.</summary>
    public string Lnurlw(HttpRequest request)
    {
        var b = Base(request);
        var rest = b.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? b["https://".Length..]
            : b.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? b["http://".Length..] : b;
        return "lnurlw://" + rest + "/ln";
    }
}
