namespace BoltGate.Storage.Cards;

/// <summary>An imported card's decrypted keys K0..K4 (16 bytes each), for the in-memory tap lookup.</summary>
public sealed record ImportedCardKeys(string CardId, string? UidHex, int KeyVersion, byte[] Keys)
{
    public ReadOnlySpan<byte> Key(int index) => Keys.AsSpan(index * 16, 16);
}
