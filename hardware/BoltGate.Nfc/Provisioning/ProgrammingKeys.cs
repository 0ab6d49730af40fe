namespace BoltGate.Nfc.Provisioning;

/// <summary>What a card is burned with: its keys, the lnurlw base URL, and whether the issuer asked for a private (random) UID.</summary>
public sealed record ProgrammingKeys(KeySet Keys, string LnurlwBase, bool UidPrivacy, string? CardName)
{
    public override string ToString() => $"ProgrammingKeys({LnurlwBase}, keys redacted)";
}
