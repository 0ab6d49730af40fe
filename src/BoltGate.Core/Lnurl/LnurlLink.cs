using System.Web;

namespace BoltGate.Core.Lnurl;

/// <summary>
/// Reads whatever a wallet, card or POS hands over as an LNURL: a bech32 LNURL, a
/// <c>lightning:</c> URI around one, a LUD-17 <c>lnurlw://</c>-style link, or a LUD-01 fallback
/// https:// URL carrying the LNURL in its <c>lightning</c> query parameter.
/// </summary>
public static class LnurlLink
{
    private const string LightningPrefix = "lightning:";

    public static LnurlDecodeResult Parse(string? input)
    {
        if (string.IsNullOrEmpty(input))
            return new LnurlDecodeResult.Error(LnurlErrorCode.Empty, "Nothing given.");
        if (input.Length > LnurlCodec.MaxLength)
            return new LnurlDecodeResult.Error(LnurlErrorCode.TooLong, $"Longer than {LnurlCodec.MaxLength} characters.");

        var text = input.StartsWith(LightningPrefix, StringComparison.OrdinalIgnoreCase) ? input[LightningPrefix.Length..] : input;
        if (Lud17.HasLud17Scheme(text))
            return Lud17.ToFetchUrl(text);
        if (Extract(input) is { } lnurl)
            return LnurlCodec.Decode(lnurl);
        return new LnurlDecodeResult.Error(LnurlErrorCode.NotAnLnurl, "Not a bech32 LNURL, a LUD-17 link or a URL with a lightning= parameter.");
    }

    /// <summary>The bech32 LNURL inside a <c>lightning:</c> URI or a fallback URL's <c>lightning</c> parameter, or null.</summary>
    public static string? Extract(string? input)
    {
        if (string.IsNullOrEmpty(input))
            return null;
        var text = input.StartsWith(LightningPrefix, StringComparison.OrdinalIgnoreCase) ? input[LightningPrefix.Length..] : input;
        if (text.StartsWith(LnurlCodec.Hrp + "1", StringComparison.OrdinalIgnoreCase))
            return text;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            var embedded = HttpUtility.ParseQueryString(uri.Query)["lightning"];
            return string.IsNullOrEmpty(embedded) ? null : embedded;
        }
        return null;
    }
}
