using System.Globalization;

namespace BoltGate.Lightning.CoreLightning;

/// <summary>
/// A Core Lightning version from getinfo ("v24.11.1", "v26.06-258-g090f4b0", "0.10.2"), compared
/// by major.minor. It picks the payment command where the wire differs:
/// xpay since v24.11, pay with an absolute maxfee since 0.11, maxfeepercent+exemptfee before.
/// </summary>
public readonly record struct ClnVersion(int Major, int Minor) : IComparable<ClnVersion>
{
    public static readonly ClnVersion XpayAvailable = new(24, 11);
    public static readonly ClnVersion PayMaxFeeAvailable = new(0, 11);

    public static bool TryParse(string? text, out ClnVersion version)
    {
        version = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var s = text.Trim().TrimStart('v', 'V');
        var parts = s.Split('.', 3);
        if (parts.Length < 2)
            return false;
        var minorDigits = new string(parts[1].TakeWhile(char.IsAsciiDigit).ToArray());
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(minorDigits, NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
            return false;
        version = new ClnVersion(major, minor);
        return true;
    }

    public int CompareTo(ClnVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator >=(ClnVersion a, ClnVersion b) => a.CompareTo(b) >= 0;

    public static bool operator <=(ClnVersion a, ClnVersion b) => a.CompareTo(b) <= 0;

    public static bool operator >(ClnVersion a, ClnVersion b) => a.CompareTo(b) > 0;

    public static bool operator <(ClnVersion a, ClnVersion b) => a.CompareTo(b) < 0;

    public override string ToString() => $"v{Major}.{Minor:00}";
}
