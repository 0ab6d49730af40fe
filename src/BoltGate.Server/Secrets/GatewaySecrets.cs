namespace BoltGate.Server.Secrets;

/// <summary>
/// The gateway's three secrets: the issuer key (root of every deterministic card's keys), the admin API
/// key, and the data key that encrypts imported cards' keys in the database. Never logged.
/// </summary>
public sealed class GatewaySecrets
{
    public GatewaySecrets(byte[] issuerKey, string adminApiKey, byte[] dataKey)
    {
        IssuerKey = issuerKey;
        AdminApiKey = adminApiKey;
        DataKey = dataKey;
    }

    public byte[] IssuerKey { get; }

    public string AdminApiKey { get; }

    public byte[] DataKey { get; }

    public override string ToString() => "GatewaySecrets(redacted)";
}
