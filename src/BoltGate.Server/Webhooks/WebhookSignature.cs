using System.Security.Cryptography;
using System.Text;

namespace BoltGate.Server.Webhooks;

/// <summary>
/// Standard Webhooks signing (standardwebhooks.com): the secret is <c>whsec_</c> + base64 of its bytes;
/// <c>webhook-signature</c> is <c>v1,</c> + base64 of HMAC-SHA256 over <c>{webhook-id}.{webhook-timestamp}.{body}</c>
/// keyed with those bytes.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(32);

    public static string FormatSecret(ReadOnlySpan<byte> secret) => SecretPrefix + Convert.ToBase64String(secret);

    public static string Sign(ReadOnlySpan<byte> secret, string id, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }
}
