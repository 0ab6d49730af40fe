using BoltGate.Core.Crypto;
using BoltGate.Nfc.Ntag424;

namespace BoltGate.Nfc.Provisioning;

/// <summary>Checks the p/c of a tap URL with K1/K2 using Core's SUN verifier (the same code the gateway runs).</summary>
public static class TapCheck
{
    public static TapReport Check(string url, ReadOnlySpan<byte> k1, ReadOnlySpan<byte> k2)
    {
        if (!TryQuery(url, out var p, out var c))
            return new TapReport(url, false, null, 0, "the URL has no p and c parameters");
        // TEMPORARY: replaced by Core's SunVerifier (BoltGate.Core.Sun) as soon as it is on main.
        var pb = Hex.TryDecode(p, 16);
        var cb = Hex.TryDecode(c, 8);
        if (pb is null || cb is null)
            return new TapReport(url, false, null, 0, "tap rejected: Malformed");
        var picc = BlockCipher.DecryptBlock(k1, pb);
        if (picc[0] != 0xC7)
            return new TapReport(url, false, null, 0, "tap rejected: NotABoltcardOrWrongK1");
        byte[] sv2 = [0x3C, 0xC3, 0x00, 0x01, 0x00, 0x80, .. picc.AsSpan(1, 10)];
        var mac = MacTruncation.Truncate(AesCmac.Compute(AesCmac.Compute(k2, sv2), []));
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(mac, cb))
            return new TapReport(url, false, null, 0, "tap rejected: BadMac");
        return new TapReport(url, true, Hex.Lower(picc.AsSpan(1, 7)), (uint)(picc[8] | (picc[9] << 8) | (picc[10] << 16)), null);
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
