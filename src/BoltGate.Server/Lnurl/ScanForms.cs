using BoltGate.Core.Lnurl;
using QRCoder;

namespace BoltGate.Server.Lnurl;

/// <summary>
/// A URL in the forms a person scans: the URL itself, its LUD-01 bech32 LNURL (upper case, as QR codes
/// carry it; null when LUD-01 does not allow the URL — clearnet http; a loopback gateway's is given for development), and an
/// SVG QR code of the LNURL (or of the URL when there is no LNURL).
/// </summary>
public sealed record ScanForms(string Url, string? Lnurl, string QrSvg)
{
    public static ScanForms Of(string url)
    {
        var lnurl = LnurlCodec.TryEncodeUpper(url, allowLoopbackHttp: true);
        return new ScanForms(url, lnurl, Svg(lnurl ?? url));
    }

    /// <summary>An SVG QR code (error correction M) that a phone camera reads from a screen.</summary>
    public static string Svg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }
}
