using System.Globalization;

namespace BoltGate.Core.Money;

/// <summary>
/// An amount of money in integer millisatoshi. Arithmetic is checked: an overflow is a bug,
/// never a silently wrapped balance. Negative values are allowed (ledger deltas) but
/// <see cref="Msat.FromSat"/> and parsing of user input reject them.
/// </summary>
public readonly record struct Msat(long Value) : IComparable<Msat>
{
    public const long MsatPerSat = 1000;
    public const long MsatPerBtc = 100_000_000_000;

    public static readonly Msat Zero = new(0);

    public static Msat FromSat(long sat)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sat);
        return new Msat(checked(sat * MsatPerSat));
    }

    /// <summary>Whole satoshis, rounded down (what LNURL "sat" limits and fee caps want).</summary>
    public long WholeSat => Value / MsatPerSat;

    /// <summary>Whole satoshis, rounded up.</summary>
    public long SatCeiling => Value / MsatPerSat + (Value % MsatPerSat > 0 ? 1 : 0);

    public bool IsZero => Value == 0;
    public bool IsNegative => Value < 0;
    public bool IsPositive => Value > 0;

    public static Msat operator +(Msat a, Msat b) => new(checked(a.Value + b.Value));
    public static Msat operator -(Msat a, Msat b) => new(checked(a.Value - b.Value));
    public static Msat operator -(Msat a) => new(checked(-a.Value));
    public static Msat operator *(Msat a, long factor) => new(checked(a.Value * factor));
    public static bool operator <(Msat a, Msat b) => a.Value < b.Value;
    public static bool operator >(Msat a, Msat b) => a.Value > b.Value;
    public static bool operator <=(Msat a, Msat b) => a.Value <= b.Value;
    public static bool operator >=(Msat a, Msat b) => a.Value >= b.Value;

    public static Msat Min(Msat a, Msat b) => a <= b ? a : b;
    public static Msat Max(Msat a, Msat b) => a >= b ? a : b;

    /// <summary>
    /// Fee cap as parts-per-million of this amount plus a base, rounded up to whole msat.
    /// </summary>
    public Msat Ppm(long ppm)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ppm);
        var product = checked((decimal)Value * ppm);
        return new Msat((long)Math.Ceiling(product / 1_000_000m));
    }

    public int CompareTo(Msat other) => Value.CompareTo(other.Value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture) + " msat";
}
