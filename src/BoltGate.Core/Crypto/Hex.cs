namespace BoltGate.Core.Crypto;

/// <summary>Strict hexadecimal parsing: exact length, hex digits only, either case.</summary>
public static class Hex
{
    /// <summary>
    /// Decodes <paramref name="text"/> into <paramref name="destination"/>, which must be exactly
    /// half its length. Returns false (never throws) on a wrong length or a non-hex character.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (text.Length != destination.Length * 2)
            return false;
        for (var i = 0; i < destination.Length; i++)
        {
            var hi = Nibble(text[2 * i]);
            var lo = Nibble(text[2 * i + 1]);
            if ((hi | lo) < 0)
                return false;
            destination[i] = (byte)((hi << 4) | lo);
        }
        return true;
    }

    /// <summary>Decodes hex of exactly <paramref name="byteLength"/> bytes, or returns null.</summary>
    public static byte[]? TryDecode(string? text, int byteLength)
    {
        if (text is null)
            return null;
        var bytes = new byte[byteLength];
        return TryDecode(text, bytes) ? bytes : null;
    }

    /// <summary>Decodes hex of any even length; throws <see cref="FormatException"/> on bad input.</summary>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length % 2 != 0)
            throw new FormatException("Hex string has an odd number of characters.");
        var bytes = new byte[text.Length / 2];
        if (!TryDecode(text, bytes))
            throw new FormatException("Hex string contains a non-hex character.");
        return bytes;
    }

    public static string Lower(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static string Upper(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    private static int Nibble(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
