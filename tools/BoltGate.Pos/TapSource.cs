using BoltGate.Core.Crypto;
using BoltGate.Core.Lnurl;
using BoltGate.Core.Sun;
using BoltGate.Nfc.Ndef;
using BoltGate.Nfc.Ntag424;
using BoltGate.Nfc.Pcsc;

namespace BoltGate.Pos;

/// <summary>Turns what the terminal read into the URL to fetch: a link as written on the card, a virtual card, or a real card on a PC/SC reader.</summary>
public static class TapSource
{
    /// <summary>
    /// The fetch URL of a tap link: <c>lnurlw://</c> (LUD-17, https unless <paramref name="plainHttp"/>),
    /// a bech32 <c>LNURL1…</c>, or an http(s) URL as is. Null with <paramref name="error"/> when it is none of these.
    /// </summary>
    public static Uri? FromLink(string link, bool plainHttp, out string error)
    {
        error = "";
        link = link.Trim();
        if (link.StartsWith("lightning:", StringComparison.OrdinalIgnoreCase))
            link = link["lightning:".Length..];
        if (Lud17.HasLud17Scheme(link))
        {
            if (plainHttp)
                return Absolute("http://" + link[(link.IndexOf("://", StringComparison.Ordinal) + 3)..], out error);
            if (Lud17.ToFetchUrl(link) is LnurlDecodeResult.Ok ok)
                return Absolute(ok.Url, out error);
            error = "The lnurlw:// link has no valid host.";
            return null;
        }
        if (link.StartsWith("lnurl1", StringComparison.OrdinalIgnoreCase))
        {
            if (LnurlCodec.Decode(link) is LnurlDecodeResult.Ok decoded)
                return Absolute(decoded.Url, out error);
            error = "The LNURL1… text does not decode.";
            return null;
        }
        if (link.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || link.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            return Absolute(link, out error);
        error = "The tap is not an lnurlw://, LNURL1… or http(s):// link.";
        return null;
    }

    /// <summary>What a card with these keys would show at <paramref name="counter"/>: <c>{gateway}/ln?p=&amp;c=</c>, built with BoltGate.Core's SUN generator.</summary>
    public static Uri FromVirtualCard(Uri gateway, string uidHex, string k1Hex, string k2Hex, uint counter)
    {
        if (!CardUid.TryParse(uidHex, out var uid))
            throw new ArgumentException("--uid must be the card's 7-byte UID as 14 hex characters.");
        var k1 = Hex.TryDecode(k1Hex, 16) ?? throw new ArgumentException("--k1 must be 32 hex characters.");
        var k2 = Hex.TryDecode(k2Hex, 16) ?? throw new ArgumentException("--k2 must be 32 hex characters.");
        var (p, c) = SunGenerator.Create(k1, k2, uid, counter);
        var basePath = gateway.AbsoluteUri.TrimEnd('/');
        return new Uri($"{basePath}/ln?p={p}&c={c}");
    }

    /// <summary>Waits for a card on a PC/SC reader and reads its NDEF URL as a phone does (one tap: the card's counter moves on).</summary>
    public static async Task<string> ReadFromReaderAsync(string? readerFilter, TimeSpan wait, CancellationToken ct)
    {
        using var context = PcscContext.Establish();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(wait);
        ReaderStatus status;
        try
        {
            status = await context.WaitForCardAsync(readerFilter, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InvalidOperationException(context.Matching(readerFilter).Count == 0
                ? "No PC/SC reader found (is it plugged in and pcscd running?)."
                : $"No card on the reader after {wait.TotalSeconds:0} s.");
        }
        using var transport = context.Connect(status.Reader);
        var card = new Ntag424Card(transport);
        var file = await card.ReadNdefFileAsync(ct).ConfigureAwait(false);
        return NdefUriFile.TryReadUri(file, out var url) ? url : throw new InvalidOperationException("The card holds no URI record.");
    }

    private static Uri? Absolute(string url, out string error)
    {
        error = "";
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            return uri;
        error = "The tap's URL is not an absolute http(s) URL.";
        return null;
    }
}
