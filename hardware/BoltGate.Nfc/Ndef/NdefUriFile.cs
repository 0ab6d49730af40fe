using System.Text;

namespace BoltGate.Nfc.Ndef;

/// <summary>
/// The Type 4 Tag NDEF file holding one URI record: NLEN (2 bytes, big-endian) || D1 01 LL 55 ||
/// prefix code || URI. No TLV wrapping (that is Type 2 only). Boltcards use prefix 00 with the full
/// <c>lnurlw://</c> text.
/// </summary>
public static class NdefUriFile
{
    /// <summary>Bytes before the URI text in the file: NLEN(2) + D1 01 LL 55(4) + prefix(1).</summary>
    public const int UriStart = 7;

    public const int FileSize = 256;

    private static readonly string[] Prefixes = ["", "http://www.", "https://www.", "http://", "https://"];

    /// <summary>
    /// Builds the file. Boltcards keep prefix 00 (no abbreviation); <paramref name="abbreviate"/> uses
    /// the NFC Forum prefix codes 01-04 when the URI starts with one of them.
    /// </summary>
    public static byte[] Build(string uri, bool abbreviate = false)
    {
        ArgumentNullException.ThrowIfNull(uri);
        byte prefix = 0;
        if (abbreviate)
        {
            for (var i = Prefixes.Length - 1; i > 0; i--)
            {
                if (uri.StartsWith(Prefixes[i], StringComparison.Ordinal) && Prefixes[i].Length > Prefixes[prefix].Length)
                    prefix = (byte)i;
            }
            uri = uri[Prefixes[prefix].Length..];
        }
        var text = Encoding.UTF8.GetBytes(uri);
        var payloadLength = 1 + text.Length;
        var messageLength = 4 + payloadLength;
        if (payloadLength > 255 || 2 + messageLength > FileSize)
            throw new ArgumentException($"URI of {text.Length} bytes does not fit the {FileSize}-byte NDEF file.", nameof(uri));
        var file = new byte[2 + messageLength];
        file[0] = (byte)(messageLength >> 8);
        file[1] = (byte)messageLength;
        file[2] = 0xD1;
        file[3] = 0x01;
        file[4] = (byte)payloadLength;
        file[5] = 0x55;
        file[6] = prefix;
        text.CopyTo(file, UriStart);
        return file;
    }

    /// <summary>An empty NDEF file (NLEN 0000): what a wiped card carries.</summary>
    public static byte[] Empty() => [0x00, 0x00];

    /// <summary>Reads the URI of the first record of an NDEF file (NLEN included); false when it holds none.</summary>
    public static bool TryReadUri(ReadOnlySpan<byte> file, out string uri)
    {
        uri = "";
        if (file.Length < 2)
            return false;
        var nlen = (file[0] << 8) | file[1];
        if (nlen == 0 || file.Length < 2 + nlen)
            return false;
        var message = file.Slice(2, nlen);
        if (message.Length < 4)
            return false;
        var header = message[0];
        var shortRecord = (header & 0x10) != 0;
        var hasId = (header & 0x08) != 0;
        if ((header & 0x07) != 0x01)
            return false;
        var pos = 1;
        int typeLength = message[pos++];
        int payloadLength;
        if (shortRecord)
        {
            payloadLength = message[pos++];
        }
        else
        {
            if (message.Length < pos + 4)
                return false;
            payloadLength = (message[pos] << 24) | (message[pos + 1] << 16) | (message[pos + 2] << 8) | message[pos + 3];
            pos += 4;
        }
        var idLength = 0;
        if (hasId)
        {
            if (message.Length <= pos)
                return false;
            idLength = message[pos++];
        }
        if (typeLength != 1 || message.Length < pos + typeLength + idLength + payloadLength || payloadLength < 1)
            return false;
        if (message[pos] != 0x55)
            return false;
        pos += typeLength + idLength;
        var prefix = message[pos];
        if (prefix >= Prefixes.Length)
            return false;
        try
        {
            uri = Prefixes[prefix] + new UTF8Encoding(false, true).GetString(message.Slice(pos + 1, payloadLength - 1));
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        return true;
    }
}
