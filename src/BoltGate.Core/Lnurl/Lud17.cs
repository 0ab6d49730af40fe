namespace BoltGate.Core.Lnurl;

/// <summary>
/// LUD-17 raw LNURLs: <c>lnurlw://</c>, <c>lnurlp://</c>, <c>lnurlc://</c>, <c>keyauth://</c> stand for
/// https:// (clearnet) or http:// (.onion). Boltcards write <c>lnurlw://</c> URLs.
/// </summary>
public static class Lud17
{
    private const string SchemeSeparator = "://";

    /// <summary>True when <paramref name="text"/> starts with one of the LUD-17 schemes (any case).</summary>
    public static bool HasLud17Scheme(string text)
    {
        var sep = text.IndexOf(SchemeSeparator, StringComparison.Ordinal);
        return sep > 0 && LnurlSubprotocolExtensions.FromScheme(text[..sep]) is not null;
    }

    /// <summary>The URL to fetch for a LUD-17 link, e.g. <c>lnurlw://host/p</c> -> <c>https://host/p</c>.</summary>
    public static LnurlDecodeResult ToFetchUrl(string? link)
    {
        if (string.IsNullOrEmpty(link))
            return new LnurlDecodeResult.Error(LnurlErrorCode.Empty, "No link given.");
        var sep = link.IndexOf(SchemeSeparator, StringComparison.Ordinal);
        var subprotocol = sep > 0 ? LnurlSubprotocolExtensions.FromScheme(link[..sep]) : null;
        if (subprotocol is null)
            return new LnurlDecodeResult.Error(LnurlErrorCode.NotAnLnurl, "Not an lnurlw://, lnurlp://, lnurlc:// or keyauth:// link.");
        var rest = link[(sep + SchemeSeparator.Length)..];
        var https = "https://" + rest;
        if (!Uri.TryCreate(https, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            return new LnurlDecodeResult.Error(LnurlErrorCode.InvalidUrl, "The link has no valid host.");
        var url = uri.Host.EndsWith(".onion", StringComparison.OrdinalIgnoreCase) ? "http://" + rest : https;
        return LnurlUrl.Check(url, subprotocol);
    }

    /// <summary>
    /// The LUD-17 link for a fetch URL, e.g. <c>https://host/p</c> -> <c>lnurlw://host/p</c>.
    /// Throws <see cref="ArgumentException"/> unless the URL is https:// or http:// .onion.
    /// </summary>
    public static string FromFetchUrl(string url, LnurlSubprotocol subprotocol)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (LnurlUrl.Check(url, subprotocol) is LnurlDecodeResult.Error error)
            throw new ArgumentException(error.Message, nameof(url));
        var sep = url.IndexOf(SchemeSeparator, StringComparison.Ordinal);
        return subprotocol.Scheme() + url[sep..];
    }
}
