using System.Buffers.Text;
using System.Globalization;
using System.Text;
using BoltGate.Storage.Listing;

namespace BoltGate.Server.Cards;

/// <summary>
/// Page cursors on the wire: opaque base64url of the last row's sort value and id. Clients hand back
/// what they were given; anything else is refused as a bad request (never a 500).
/// </summary>
public static class PageCursors
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static string? Encode(PageCursor? cursor) =>
        cursor is { } c ? Base64Url.EncodeToString(Encoding.UTF8.GetBytes(c.Key.ToString(CultureInfo.InvariantCulture) + ":" + c.Id)) : null;

    public static CardResult<PageCursor?> Decode(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return CardResult<PageCursor?>.Of(null);
        try
        {
            if (text.Length > 200)
                return Bad();
            var plain = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
            var colon = plain.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !long.TryParse(plain.AsSpan(0, colon), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var key))
                return Bad();
            return CardResult<PageCursor?>.Of(new PageCursor(key, plain[(colon + 1)..]));
        }
        catch (FormatException)
        {
            return Bad();
        }
    }

    public static CardResult<int> Limit(int? limit) =>
        limit is null ? DefaultLimit
        : limit is >= 1 and <= MaxLimit ? limit.Value
        : CardError.Invalid($"limit must be between 1 and {MaxLimit}.");

    private static CardResult<PageCursor?> Bad() => CardError.Invalid("cursor is not one this gateway handed out; start again without it.");
}
