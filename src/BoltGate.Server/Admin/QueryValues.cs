using System.Globalization;
using BoltGate.Server.Cards;

namespace BoltGate.Server.Admin;

/// <summary>
/// Query-string values read by the routes themselves, so a malformed one is a 400 problem naming it
/// (the framework's own binding failure would be a bare 400).
/// </summary>
public static class QueryValues
{
    public static CardResult<int?> Int(string? text, string name) =>
        text is null ? CardResult<int?>.Of(null)
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? CardResult<int?>.Of(value)
        : CardError.Invalid($"{name} must be a whole number.");

    /// <summary>An ISO 8601 time with an offset (2026-12-04T10:00:00Z) or unix seconds.</summary>
    public static CardResult<DateTimeOffset?> Time(string? text, string name)
    {
        if (text is null)
            return CardResult<DateTimeOffset?>.Of(null);
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 253_402_300_800)
            return CardResult<DateTimeOffset?>.Of(DateTimeOffset.FromUnixTimeSeconds(seconds));
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? CardResult<DateTimeOffset?>.Of(time)
            : CardError.Invalid($"{name} must be an ISO 8601 time such as 2026-12-04T10:00:00Z, or unix seconds.");
    }

    /// <summary>A bucket size: a whole number with m, h or d (15m, 1h, 1d).</summary>
    public static CardResult<TimeSpan?> Bucket(string? text)
    {
        if (text is null)
            return CardResult<TimeSpan?>.Of(null);
        if (text.Length >= 2 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            TimeSpan? size = text[^1] switch
            {
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => null,
            };
            if (size is { } s)
                return CardResult<TimeSpan?>.Of(s);
        }
        return CardError.Invalid("bucket must be a whole number of minutes, hours or days: 15m, 1h, 1d.");
    }
}
