namespace BoltGate.Nfc.Provisioning;

/// <summary>
/// What a card is burned with: its keys, the lnurlw base URL, whether the issuer asked for a private
/// (random) UID, and the key version the issuer stores for these keys (BoltGate's admin API
/// <c>keyVersion</c>; null when the source does not say, then the Boltcard convention 1 is written).
/// </summary>
public sealed record ProgrammingKeys(KeySet Keys, string LnurlwBase, bool UidPrivacy, string? CardName, byte? KeyVersion = null)
{
    public override string ToString() => $"ProgrammingKeys({LnurlwBase}, keys redacted)";
}
