using QRCoder;

namespace BoltGate.Server.Web;

/// <summary>QR codes as PNG data URIs (an <c>img</c> needs no inline style, so the pages' CSP holds).</summary>
public static class QrImage
{
    public static string DataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(6));
    }
}
