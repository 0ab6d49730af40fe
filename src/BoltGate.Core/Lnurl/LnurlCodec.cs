using System.Text.Unicode;
using BoltGate.Core.Bitcoin;

namespace BoltGate.Core.Lnurl;

/// <summary>
/// LUD-01 bech32 LNURLs: hrp "lnurl", the URL's UTF-8 bytes as 5-bit groups, BIP-173 checksum,
/// no 90-character limit. Upper or lower case is accepted, mixed case is not.
/// </summary>
public static class LnurlCodec
{
    public const string Hrp = "lnurl";

    /// <summary>Longest accepted LNURL text. Not a spec limit: a DoS bound.</summary>
    public const int MaxLength = 8192;

    /// <summary>Lower-case LNURL for <paramref name="url"/>; throws <see cref="ArgumentException"/> unless it is https:// or http:// .onion.</summary>
    public static string Encode(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (LnurlUrl.Check(url, null) is LnurlDecodeResult.Error error)
            throw new ArgumentException(error.Message, nameof(url));
        var groups = Bech32.ConvertBits(System.Text.Encoding.UTF8.GetBytes(url), 8, 5, pad: true)!;
        return Bech32.Encode(Hrp, groups);
    }

    /// <summary>
    /// Upper-case LNURL for <paramref name="url"/>, or null when LUD-01 does not allow it. With
    /// <paramref name="allowLoopbackHttp"/>, http:// to 127.0.0.1, ::1 or localhost is encoded too: LUD-01
    /// forbids it for wallets on clearnet, but development tools decode it, and nothing else can reach it.
    /// </summary>
    public static string? TryEncodeUpper(string url, bool allowLoopbackHttp = false)
    {
        ArgumentNullException.ThrowIfNull(url);
        var allowed = LnurlUrl.Check(url, null) is LnurlDecodeResult.Ok
            || (allowLoopbackHttp && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);
        if (!allowed)
            return null;
        var groups = Bech32.ConvertBits(System.Text.Encoding.UTF8.GetBytes(url), 8, 5, pad: true)!;
        return Bech32.Encode(Hrp, groups).ToUpperInvariant();
    }

    /// <summary>Upper-case form, for QR codes (alphanumeric mode).</summary>
    public static string EncodeUpper(string url) => Encode(url).ToUpperInvariant();

    /// <summary>Decodes a bech32 LNURL (no prefix or container; see <see cref="LnurlLink.Parse"/> for those).</summary>
    public static LnurlDecodeResult Decode(string? lnurl)
    {
        if (string.IsNullOrEmpty(lnurl))
            return Fail(LnurlErrorCode.Empty, "No LNURL given.");
        var bech = Bech32.Decode(lnurl, MaxLength, out var hrp, out var data);
        switch (bech)
        {
            case Bech32Error.None: break;
            case Bech32Error.TooLong: return Fail(LnurlErrorCode.TooLong, $"Longer than {MaxLength} characters.");
            case Bech32Error.MixedCase: return Fail(LnurlErrorCode.MixedCase, "Mixes upper and lower case.");
            case Bech32Error.BadChecksum: return Fail(LnurlErrorCode.BadChecksum, "Bech32 checksum is invalid.");
            case Bech32Error.Bech32mChecksum: return Fail(LnurlErrorCode.BadChecksum, "Checksum is bech32m; LNURL uses bech32.");
            default: return Fail(LnurlErrorCode.BadBech32, $"Malformed bech32 ({bech}).");
        }
        if (hrp != Hrp)
            return Fail(LnurlErrorCode.WrongHrp, $"Human-readable part is '{(hrp.Length > 16 ? hrp[..16] + "..." : hrp)}', not 'lnurl'.");
        var bytes = Bech32.ConvertBits(data, 5, 8, pad: false);
        if (bytes is null)
            return Fail(LnurlErrorCode.InvalidPadding, "Padding bits of the 5-to-8 bit conversion are invalid.");
        if (!Utf8.IsValid(bytes))
            return Fail(LnurlErrorCode.NotUtf8, "The decoded URL is not UTF-8.");
        return LnurlUrl.Check(System.Text.Encoding.UTF8.GetString(bytes), null);
    }

    private static LnurlDecodeResult.Error Fail(LnurlErrorCode code, string message) => new(code, message);
}
