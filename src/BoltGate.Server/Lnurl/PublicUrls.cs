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

    /// <summary>
    /// Why a card cannot be programmed with the URL this gateway would burn onto it, or null when it can:
    /// <c>Gateway:PublicUrl</c> must be https (a card programmed through localhost would carry
    /// <c>lnurlw://127.0.0.1:.../ln</c>, which no phone reaches), unless <c>Gateway:AllowInsecurePublicUrl</c>.
    /// </summary>
    public string? ProgrammingProblem()
    {
        if (options.Gateway.AllowInsecurePublicUrl)
            return null;
        if (string.IsNullOrEmpty(options.Gateway.PublicUrl))
            return "Set Gateway:PublicUrl to the https address phones reach this gateway at (e.g. https://pay.example.com) "
                + "before programming cards; for local tests only, start with --Gateway:AllowInsecurePublicUrl=true.";
        if (!options.Gateway.PublicUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return "Gateway:PublicUrl must be https:// to program cards (wallets refuse plain http); "
                + "for local tests only, start with --Gateway:AllowInsecurePublicUrl=true.";
        return null;
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
