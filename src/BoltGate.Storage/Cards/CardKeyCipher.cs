using System.Security.Cryptography;
using System.Text;

namespace BoltGate.Storage.Cards;

/// <summary>
/// AES-256-GCM for imported cards' keys at rest. Layout: nonce (12) ‖ tag (16) ‖ ciphertext. The card id
/// is the associated data, so a blob copied onto another card's row fails to decrypt.
/// </summary>
internal sealed class CardKeyCipher
{
    public const int KeyLength = 32;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private readonly byte[] _key;

    public CardKeyCipher(byte[] dataKey)
    {
        if (dataKey is not { Length: KeyLength })
            throw new ArgumentException($"The data key must be {KeyLength} bytes.", nameof(dataKey));
        _key = dataKey.ToArray();
    }

    public byte[] Encrypt(string cardId, ReadOnlySpan<byte> plain)
    {
        var blob = new byte[NonceLength + TagLength + plain.Length];
        var nonce = blob.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(_key, TagLength);
        gcm.Encrypt(nonce, plain, blob.AsSpan(NonceLength + TagLength), blob.AsSpan(NonceLength, TagLength),
            Encoding.UTF8.GetBytes(cardId));
        return blob;
    }

    /// <summary>Decrypts, or throws <see cref="CryptographicException"/> when the blob or the data key is wrong.</summary>
    public byte[] Decrypt(string cardId, byte[] blob)
    {
        if (blob.Length < NonceLength + TagLength)
            throw new CryptographicException("The stored key blob is too short.");
        var plain = new byte[blob.Length - NonceLength - TagLength];
        using var gcm = new AesGcm(_key, TagLength);
        gcm.Decrypt(blob.AsSpan(0, NonceLength), blob.AsSpan(NonceLength + TagLength), blob.AsSpan(NonceLength, TagLength),
            plain, Encoding.UTF8.GetBytes(cardId));
        return plain;
    }
}
