using System.Web;

namespace BoltGate.Core.Lnurl;

/// <summary>LUD-01's rule for the URL behind an LNURL: https:// on clearnet, or http:// only for an .onion host.</summary>
internal static class LnurlUrl
{
    public static LnurlDecodeResult Check(string url, LnurlSubprotocol? subprotocol)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            return new LnurlDecodeResult.Error(LnurlErrorCode.InvalidUrl, "Not an absolute URL with a host.");
        var onion = uri.Host.EndsWith(".onion", StringComparison.OrdinalIgnoreCase);
        var secure = uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && onion);
        if (!secure)
            return new LnurlDecodeResult.Error(LnurlErrorCode.InsecureScheme, $"'{uri.Scheme}://' is not allowed: LNURLs use https://, or http:// for .onion hosts.");
        subprotocol ??= LnurlSubprotocolExtensions.FromTag(HttpUtility.ParseQueryString(uri.Query)["tag"]);
        return new LnurlDecodeResult.Ok(url, subprotocol);
    }
}
