namespace BoltGate.Core.Bitcoin;

/// <summary>Why a string is not valid bech32 (BIP-173).</summary>
internal enum Bech32Error
{
    None,
    Empty,
    InvalidCharacter,
    MixedCase,
    NoSeparator,
    EmptyHrp,
    TooShort,
    TooLong,
    BadChecksum,
    Bech32mChecksum,
}

/// <summary>
/// BIP-173 bech32 with the checksum constant 1 (never bech32m) and a caller-chosen length limit,
/// because BOLT 11 invoices and LNURLs are routinely longer than BIP-173's 90 characters.
/// Works on 5-bit groups; <see cref="ConvertBits"/> packs them to bytes.
/// </summary>
internal static class Bech32
{
    public const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private const uint Bech32Const = 1;
    private const uint Bech32mConst = 0x2bc830a3;

    private static readonly sbyte[] CharsetRev = BuildReverse();

    private static sbyte[] BuildReverse()
    {
        var rev = new sbyte[128];
        Array.Fill(rev, (sbyte)-1);
        for (var i = 0; i < Charset.Length; i++)
        {
            rev[Charset[i]] = (sbyte)i;
            rev[char.ToUpperInvariant(Charset[i])] = (sbyte)i;
        }
        return rev;
    }

    /// <summary>
    /// Decodes <paramref name="text"/>; the separator is the LAST '1'. On success <paramref name="hrp"/>
    /// is lower case and <paramref name="data"/> holds the 5-bit groups without the 6 checksum groups.
    /// </summary>
    public static Bech32Error Decode(string text, int maxLength, out string hrp, out byte[] data)
    {
        hrp = string.Empty;
        data = [];
        if (text.Length == 0)
            return Bech32Error.Empty;
        if (text.Length > maxLength)
            return Bech32Error.TooLong;

        bool lower = false, upper = false;
        foreach (var c in text)
        {
            if (c < 33 || c > 126)
                return Bech32Error.InvalidCharacter;
            if (c is >= 'a' and <= 'z')
                lower = true;
            else if (c is >= 'A' and <= 'Z')
                upper = true;
        }
        if (lower && upper)
            return Bech32Error.MixedCase;

        var sep = text.LastIndexOf('1');
        if (sep < 0)
            return Bech32Error.NoSeparator;
        if (sep == 0)
            return Bech32Error.EmptyHrp;
        if (text.Length - sep - 1 < 6)
            return Bech32Error.TooShort;

        var values = new byte[text.Length - sep - 1];
        for (var i = 0; i < values.Length; i++)
        {
            var v = CharsetRev[text[sep + 1 + i]];
            if (v < 0)
                return Bech32Error.InvalidCharacter;
            values[i] = (byte)v;
        }

        var lowerHrp = text[..sep].ToLowerInvariant();
        var check = Polymod(lowerHrp, values);
        if (check == Bech32mConst)
            return Bech32Error.Bech32mChecksum;
        if (check != Bech32Const)
            return Bech32Error.BadChecksum;

        hrp = lowerHrp;
        data = values[..^6];
        return Bech32Error.None;
    }

    /// <summary>
    /// Encodes <paramref name="hrp"/> (lower case) and 5-bit <paramref name="data"/> as lower-case bech32
    /// (or bech32m, which only segwit v1+ fallback addresses use).
    /// </summary>
    public static string Encode(string hrp, ReadOnlySpan<byte> data, bool bech32m = false)
    {
        var withChecksum = new byte[data.Length + 6];
        data.CopyTo(withChecksum);
        var mod = Polymod(hrp, withChecksum) ^ (bech32m ? Bech32mConst : Bech32Const);
        for (var i = 0; i < 6; i++)
            withChecksum[data.Length + i] = (byte)((mod >> (5 * (5 - i))) & 31);

        return string.Create(hrp.Length + 1 + withChecksum.Length, (hrp, withChecksum), static (span, state) =>
        {
            state.hrp.AsSpan().CopyTo(span);
            span[state.hrp.Length] = '1';
            for (var i = 0; i < state.withChecksum.Length; i++)
                span[state.hrp.Length + 1 + i] = Charset[state.withChecksum[i]];
        });
    }

    private static uint Polymod(string hrp, ReadOnlySpan<byte> values)
    {
        uint chk = 1;
        foreach (var c in hrp)
            chk = Step(chk) ^ (uint)(c >> 5);
        chk = Step(chk);
        foreach (var c in hrp)
            chk = Step(chk) ^ (uint)(c & 31);
        foreach (var v in values)
            chk = Step(chk) ^ v;
        return chk;
    }

    private static uint Step(uint pre)
    {
        var b = pre >> 25;
        return ((pre & 0x1ffffff) << 5)
            ^ (0x3b6a57b2u & (uint)-(int)(b & 1))
            ^ (0x26508e6du & (uint)-(int)((b >> 1) & 1))
            ^ (0x1ea119fau & (uint)-(int)((b >> 2) & 1))
            ^ (0x3d4233ddu & (uint)-(int)((b >> 3) & 1))
            ^ (0x2a1462b3u & (uint)-(int)((b >> 4) & 1));
    }

    /// <summary>
    /// Regroups bits (8-to-5 or 5-to-8). With <paramref name="pad"/> the tail is zero-padded;
    /// without it, a tail of 5 or more bits or any non-zero padding bit fails (returns null).
    /// </summary>
    public static byte[]? ConvertBits(ReadOnlySpan<byte> data, int fromBits, int toBits, bool pad)
    {
        var acc = 0;
        var bits = 0;
        var maxv = (1 << toBits) - 1;
        var result = new List<byte>(data.Length * fromBits / toBits + 1);
        foreach (var value in data)
        {
            if (value >> fromBits != 0)
                return null;
            acc = ((acc << fromBits) | value) & 0xfffff;
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                result.Add((byte)((acc >> bits) & maxv));
            }
        }
        if (pad)
        {
            if (bits > 0)
                result.Add((byte)((acc << (toBits - bits)) & maxv));
        }
        else if (bits >= fromBits || ((acc << (toBits - bits)) & maxv) != 0)
        {
            return null;
        }
        return result.ToArray();
    }

    /// <summary>
    /// Packs 5-bit groups into bytes, dropping the final partial byte (BOLT 11 field data:
    /// writers pad with zero bits, readers take the whole bytes).
    /// </summary>
    public static byte[] FiveToBytesTruncating(ReadOnlySpan<byte> groups)
    {
        var result = new byte[groups.Length * 5 / 8];
        var acc = 0;
        var bits = 0;
        var o = 0;
        foreach (var g in groups)
        {
            acc = ((acc << 5) | g) & 0xfff;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                if (o < result.Length)
                    result[o++] = (byte)(acc >> bits);
            }
        }
        return result;
    }
}
