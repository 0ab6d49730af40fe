using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BoltGate.Lightning.Lnd;

/// <summary>
/// How we trust lnd's self-signed certificate: pinned by the SHA-256 of its DER bytes
/// (BTCPay's <c>certthumbprint</c>, what <c>openssl x509 -fingerprint -sha256</c> prints), pinned
/// to the exact certificate in <c>certfilepath</c>, accepted blindly with <c>allowinsecure=true</c>,
/// or else validated by the system's trust store.
/// </summary>
internal static class LndTls
{
    public static RemoteCertificateValidationCallback? Callback(LightningConnectionString.LndRest settings)
    {
        if (settings.CertThumbprint is { } pin)
        {
            var expected = (byte[])pin.Clone();
            return (_, cert, chain, _) => cert is not null && (Matches(cert, expected) || AnyInChain(chain, expected));
        }
        if (settings.CertFilePath is { } path)
        {
            var pinned = SHA256.HashData(LoadCertificate(path).RawData);
            return (_, cert, chain, _) => cert is not null && (Matches(cert, pinned) || AnyInChain(chain, pinned));
        }
        if (settings.AllowInsecure)
            return (_, _, _, _) => true;
        return null; // system trust store
    }

    public static byte[] Thumbprint(X509Certificate certificate) => SHA256.HashData(certificate.GetRawCertData());

    private static bool Matches(X509Certificate cert, byte[] expected) =>
        CryptographicOperations.FixedTimeEquals(Thumbprint(cert), expected);

    private static bool AnyInChain(X509Chain? chain, byte[] expected)
    {
        if (chain is null)
            return false;
        foreach (var element in chain.ChainElements)
        {
            if (CryptographicOperations.FixedTimeEquals(SHA256.HashData(element.Certificate.RawData), expected))
                return true;
        }
        return false;
    }

    private static X509Certificate2 LoadCertificate(string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new LightningNodeException($"Cannot read the LND TLS certificate file '{path}': {ex.Message}", ex);
        }
    }
}
