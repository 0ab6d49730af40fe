namespace BoltGate.Nfc.Ndef;

/// <summary>
/// The Boltcard NDEF template: the issuer's <c>lnurlw://</c> base plus <c>p=</c> (32 zeros) and
/// <c>c=</c> (16 zeros) placeholders the chip overwrites on each tap, with the SDM offsets (byte
/// positions in the NDEF file, NLEN included) of both placeholders.
/// </summary>
public sealed record LnurlwTemplate(string Url, byte[] NdefFile, int PiccDataOffset, int MacOffset)
{
    public const int PiccDataHexLength = 32;
    public const int MacHexLength = 16;

    /// <summary>Builds the template from a base such as <c>lnurlw://host/ln</c>; <c>https://</c> / <c>http://</c> bases are rewritten to <c>lnurlw://</c>.</summary>
    public static LnurlwTemplate FromBase(string lnurlwBase)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(lnurlwBase);
        var b = lnurlwBase.Trim();
        if (b.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            b = "lnurlw://" + b["https://".Length..];
        else if (b.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            b = "lnurlw://" + b["http://".Length..];
        if (!b.StartsWith("lnurlw://", StringComparison.OrdinalIgnoreCase) || b.Length <= "lnurlw://".Length)
            throw new ArgumentException("The card URL must start with lnurlw:// (or https://).", nameof(lnurlwBase));
        if (b.Contains('#', StringComparison.Ordinal))
            throw new ArgumentException("The card URL must not carry a fragment.", nameof(lnurlwBase));
        var separator = b.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var head = $"{b}{separator}p=";
        var url = $"{head}{new string('0', PiccDataHexLength)}&c={new string('0', MacHexLength)}";
        var file = NdefUriFile.Build(url);
        var piccOffset = NdefUriFile.UriStart + System.Text.Encoding.UTF8.GetByteCount(head);
        var macOffset = piccOffset + PiccDataHexLength + "&c=".Length;
        return new LnurlwTemplate(url, file, piccOffset, macOffset);
    }
}
