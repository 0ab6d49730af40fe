using BoltGate.Core.Lnurl;
using static BoltGate.ParserFuzz.FuzzTargets;

namespace BoltGate.ParserFuzz;

/// <summary>
/// LNURL (LUD-01 bech32, LUD-17 schemes, lightning: and fallback containers). The readers return
/// <see cref="LnurlDecodeResult"/> and never throw; the encoders throw <see cref="ArgumentException"/>
/// for a URL LUD-01 does not allow (documented) or return null (TryEncodeUpper). Round trips:
/// decode(encode(url)) == url, encode(decode(lnurl)) == lnurl, LUD-17 link to fetch URL and back.
/// </summary>
internal static class LnurlTarget
{
    public static FuzzTarget Target { get; } = new("lnurl",
        "LnurlLink.Parse/Extract, LnurlCodec.Decode/Encode/TryEncodeUpper, Lud17.ToFetchUrl/FromFetchUrl, bech32 round trip", Check);

    private static void Check(byte[] input)
    {
        var text = FuzzTarget.Text(input);

        var link = LnurlLink.Parse(text);
        if (link is LnurlDecodeResult.Ok linked)
            Require(Uri.TryCreate(linked.Url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Host.EndsWith(".onion", StringComparison.OrdinalIgnoreCase)),
                "an accepted link names an https:// (or .onion) URL");
        _ = LnurlLink.Extract(text);

        if (LnurlCodec.Decode(text) is LnurlDecodeResult.Ok decoded)
            Require(LnurlCodec.Encode(decoded.Url) == text.ToLowerInvariant(), "a decoded LNURL re-encodes to the input (lower case)");

        if (Lud17.HasLud17Scheme(text) && Lud17.ToFetchUrl(text) is LnurlDecodeResult.Ok fetch)
        {
            Require(fetch.Subprotocol is not null, "a LUD-17 link knows its sub-protocol");
            var back = Lud17.FromFetchUrl(fetch.Url, fetch.Subprotocol!.Value);
            var sep = text.IndexOf("://", StringComparison.Ordinal);
            Require(string.Equals(back[..sep], text[..sep], StringComparison.OrdinalIgnoreCase) && back[sep..] == text[sep..],
                "a LUD-17 link maps to its fetch URL and back");
        }

        // The text as a URL: encoding it must be decodable to the same URL.
        if (LnurlCodec.TryEncodeUpper(text) is { } upper)
        {
            var again = Expect<LnurlDecodeResult.Ok>(LnurlCodec.Decode(upper), "an encoded LNURL decodes");
            Require(again.Url == text, "decode(encode(url)) == url");
            Require(LnurlCodec.Encode(text).ToUpperInvariant() == upper, "Encode and TryEncodeUpper agree");
        }
        else
        {
            try
            {
                _ = LnurlCodec.Encode(text);
                if (text.Length > 0)
                    throw new RuleViolation("Encode accepted a URL TryEncodeUpper refused");
            }
            catch (ArgumentException)
            {
                // documented: not https:// or http:// .onion
            }
        }

        Bolt11Target.Bech32RoundTrip(text, LnurlCodec.MaxLength);

        // Past the checksum, which random mutations break: the same text with a valid one.
        if (Bolt11Target.WithValidChecksum(text) is { } fixedUp && LnurlCodec.Decode(fixedUp) is LnurlDecodeResult.Ok ok)
            Require(LnurlCodec.Encode(ok.Url) == fixedUp, "a decoded LNURL re-encodes to the input");
    }
}
