using System.Globalization;
using BoltGate.Core.Money;

namespace BoltGate.Core.Bolt11;

/// <summary>The amount in an invoice's human-readable part: digits and an optional multiplier m, u, n or p.</summary>
internal static class Bolt11Amount
{
    /// <summary>Parses the amount text after the currency prefix. Empty text means "no amount".</summary>
    public static Bolt11ErrorCode? TryParse(ReadOnlySpan<char> text, out Msat? amount)
    {
        amount = null;
        if (text.IsEmpty)
            return null;

        var multiplier = text[^1];
        var digits = char.IsAsciiDigit(multiplier) ? text : text[..^1];
        if (digits.IsEmpty)
            return Bolt11ErrorCode.BadAmount;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
                return Bolt11ErrorCode.BadAmount;
        }
        if (digits[0] == '0')
            return Bolt11ErrorCode.BadAmount; // zero or a leading zero: writers MUST NOT, and 0 is no amount at all
        if (digits.Length > 25 || !Int128.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return Bolt11ErrorCode.BadAmount;

        Int128 msat;
        switch (multiplier)
        {
            case 'm': msat = value * 100_000_000L; break;
            case 'u': msat = value * 100_000L; break;
            case 'n': msat = value * 100L; break;
            case 'p':
                if (value % 10 != 0)
                    return Bolt11ErrorCode.SubMillisatoshi;
                msat = value / 10;
                break;
            case >= '0' and <= '9': msat = value * Msat.MsatPerBtc; break;
            default: return Bolt11ErrorCode.BadAmount;
        }
        if (msat > long.MaxValue)
            return Bolt11ErrorCode.BadAmount;
        amount = new Msat((long)msat);
        return null;
    }

    /// <summary>The shortest text for a positive amount: the largest multiplier that keeps it whole.</summary>
    public static string Format(Msat amount)
    {
        var v = amount.Value;
        if (v <= 0)
            throw new ArgumentOutOfRangeException(nameof(amount), "An invoice amount must be positive.");
        if (v % Msat.MsatPerBtc == 0)
            return (v / Msat.MsatPerBtc).ToString(CultureInfo.InvariantCulture);
        if (v % 100_000_000L == 0)
            return (v / 100_000_000L).ToString(CultureInfo.InvariantCulture) + "m";
        if (v % 100_000L == 0)
            return (v / 100_000L).ToString(CultureInfo.InvariantCulture) + "u";
        if (v % 100L == 0)
            return (v / 100L).ToString(CultureInfo.InvariantCulture) + "n";
        return v.ToString(CultureInfo.InvariantCulture) + "0p";
    }
}
