using BoltGate.Core.Sun;

namespace BoltGate.Nfc.Provisioning;

/// <summary>Checks the p/c of a tap URL with K1/K2 using Core's SUN verifier (the same code the gateway runs).</summary>
public static class TapCheck
{
    public static TapReport Check(string url, ReadOnlySpan<byte> k1, ReadOnlySpan<byte> k2)
    {
        if (!TryQuery(url, out var p, out var c))
            return new TapReport(url, false, null, 0, "the URL has no p and c parameters");
        var result = SunVerifier.Verify(k1, k2, p, c);
        return result.IsVerified
            ? new TapReport(url, true, result.Uid.Hex, result.Counter, null)
            : new TapReport(url, false, null, 0, "tap rejected: " + result.Rejection);
    }

    /// <summary>Extracts the p and c query values (exactly one of each), parsed by position, not regex.</summary>
    public static bool TryQuery(string url, out string p, out string c)
    {
        p = c = "";
        var q = url.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
            return false;
        string? pv = null, cv = null;
        foreach (var part in url[(q + 1)..].Split('&'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
                continue;
            var name = part[..eq];
            var value = Uri.UnescapeDataString(part[(eq + 1)..]);
            if (name == "p")
            {
                if (pv is not null)
                    return false;
                pv = value;
            }
            else if (name == "c")
            {
                if (cv is not null)
                    return false;
                cv = value;
            }
        }
        if (pv is null || cv is null)
            return false;
        p = pv;
        c = cv;
        return true;
    }
}
