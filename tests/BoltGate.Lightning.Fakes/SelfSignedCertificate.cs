using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BoltGate.Lightning.Fakes;

/// <summary>A throw-away TLS certificate for 127.0.0.1/localhost, made in memory like lnd's tls.cert.</summary>
public static class SelfSignedCertificate
{
    public static X509Certificate2 Create(string subject = "CN=boltgate-fake-lnd")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    /// <summary>BTCPay's certthumbprint: SHA-256 of the DER bytes, hex.</summary>
    public static string Sha256Thumbprint(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
}
