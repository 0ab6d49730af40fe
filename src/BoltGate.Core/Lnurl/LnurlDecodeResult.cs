namespace BoltGate.Core.Lnurl;

/// <summary>The outcome of reading an LNURL: the URL to fetch, or why there is none.</summary>
public abstract record LnurlDecodeResult
{
    private LnurlDecodeResult()
    {
    }

    /// <param name="Url">The https:// (or http:// .onion) URL exactly as encoded.</param>
    /// <param name="Subprotocol">Known without a GET: from a LUD-17 scheme or the URL's <c>tag</c> query parameter.</param>
    public sealed record Ok(string Url, LnurlSubprotocol? Subprotocol) : LnurlDecodeResult;

    public sealed record Error(LnurlErrorCode Code, string Message) : LnurlDecodeResult;
}
