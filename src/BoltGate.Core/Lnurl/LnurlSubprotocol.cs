namespace BoltGate.Core.Lnurl;

/// <summary>The LNURL sub-protocols that LUD-17 gives their own URL schemes.</summary>
public enum LnurlSubprotocol
{
    /// <summary><c>lnurlw://</c>, tag <c>withdrawRequest</c> (LUD-03).</summary>
    Withdraw,

    /// <summary><c>lnurlp://</c>, tag <c>payRequest</c> (LUD-06).</summary>
    Pay,

    /// <summary><c>lnurlc://</c>, tag <c>channelRequest</c> (LUD-02).</summary>
    Channel,

    /// <summary><c>keyauth://</c>, tag <c>login</c> (LUD-04).</summary>
    Login,
}

public static class LnurlSubprotocolExtensions
{
    /// <summary>The LUD-17 scheme, without "://".</summary>
    public static string Scheme(this LnurlSubprotocol p) => p switch
    {
        LnurlSubprotocol.Withdraw => "lnurlw",
        LnurlSubprotocol.Pay => "lnurlp",
        LnurlSubprotocol.Channel => "lnurlc",
        LnurlSubprotocol.Login => "keyauth",
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, null),
    };

    /// <summary>The <c>tag</c> value the service answers with.</summary>
    public static string Tag(this LnurlSubprotocol p) => p switch
    {
        LnurlSubprotocol.Withdraw => "withdrawRequest",
        LnurlSubprotocol.Pay => "payRequest",
        LnurlSubprotocol.Channel => "channelRequest",
        LnurlSubprotocol.Login => "login",
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, null),
    };

    internal static LnurlSubprotocol? FromScheme(string scheme)
    {
        foreach (var p in Enum.GetValues<LnurlSubprotocol>())
        {
            if (string.Equals(p.Scheme(), scheme, StringComparison.OrdinalIgnoreCase))
                return p;
        }
        return null;
    }

    internal static LnurlSubprotocol? FromTag(string? tag)
    {
        foreach (var p in Enum.GetValues<LnurlSubprotocol>())
        {
            if (string.Equals(p.Tag(), tag, StringComparison.Ordinal))
                return p;
        }
        return null;
    }
}
