using BoltGate.Core.Money;
using BoltGate.Server.Configuration;

namespace BoltGate.Server.Cards;

/// <summary>The bounds of amounts and limits given in whole sat, and the defaults a new card gets.</summary>
public static class CardLimits
{
    /// <summary>21 million BTC in sat: no amount or limit can be above it.</summary>
    public const long MaxSat = 2_100_000_000_000_000;

    /// <summary>A new card's limits: the given ones, else the configured defaults; null means no limit.</summary>
    public static CardResult<(Msat? PerTap, Msat? Daily)> ForNewCard(long? perTapSat, long? dailySat, GatewayOptions options)
    {
        perTapSat ??= options.Limits.DefaultPerTapLimitSat;
        dailySat ??= options.Limits.DefaultDailyLimitSat;
        if (perTapSat is < 0 or > MaxSat || dailySat is < 0 or > MaxSat)
            return CardError.Invalid("perTapLimitSat and dailyLimitSat must be between 0 and 21 million BTC in sat.");
        return (Sat(perTapSat), Sat(dailySat));
    }

    /// <summary>The longest card name, in characters.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Why <paramref name="name"/> cannot be a card's name, or null.</summary>
    public static CardError? NameProblem(string? name) =>
        name is not null && name.Trim().Length > MaxNameLength
            ? CardError.Invalid($"name must be at most {MaxNameLength} characters.")
            : null;

    public static Msat? Sat(long? sat) => sat is { } s ? Msat.FromSat(s) : null;
}
