using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Crypto;
using BoltGate.Lightning.Simulated;

namespace BoltGate.Lightning;

internal static class ConnectionStringParser
{
    private static readonly string[] LndKeys = ["type", "server", "macaroon", "macaroonfilepath", "macaroondirectorypath", "certthumbprint", "certfilepath", "allowinsecure"];
    private static readonly string[] ClnKeys = ["type", "server"];
    private static readonly string[] SimulatedKeys = ["type", "network", "unknownpayees", "delay", "holdfor"];

    public static bool TryParse(string? text, [NotNullWhen(true)] out LightningConnectionString? result, out string error)
    {
        result = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "The Lightning connection string is empty.";
            return false;
        }
        text = text.Trim();

        // BTCPay's legacy form: a bare socket or TCP address means Core Lightning.
        if (text.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) || text.StartsWith("tcp:", StringComparison.OrdinalIgnoreCase) || text.StartsWith('/'))
            text = "type=clightning;server=" + text;

        if (!TrySplit(text, out var values, out error))
            return false;
        if (!values.TryGetValue("type", out var type))
        {
            error = "The connection string has no 'type' (expected lnd-rest, clightning or simulated).";
            return false;
        }
        switch (type.ToLowerInvariant())
        {
            case "lnd-rest":
            case "lnd-grpc":
                return OnlyKnownKeys(values, LndKeys, "lnd-rest", out error) && TryLnd(values, out result, out error);
            case "clightning":
                return OnlyKnownKeys(values, ClnKeys, "clightning", out error) && TryCln(values, out result, out error);
            case "simulated":
                return OnlyKnownKeys(values, SimulatedKeys, "simulated", out error) && TrySimulated(values, out result, out error);
            default:
                error = $"Unknown 'type' value {Shown(type)} (expected lnd-rest, clightning or simulated).";
                return false;
        }
    }

    private static bool TrySplit(string text, out Dictionary<string, string> values, out string error)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rawPart in text.Split(';'))
        {
            var part = rawPart.Trim();
            if (part.Length == 0)
                continue;
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                // Never echo the part: it could be a secret pasted without its key.
                error = $"Part {values.Count + 1} of the connection string is not 'key=value'.";
                return false;
            }
            var key = part[..eq].Trim().ToLowerInvariant();
            var value = part[(eq + 1)..].Trim();
            if (value.Length == 0)
            {
                error = $"Key {Shown(key)} has an empty value.";
                return false;
            }
            if (!values.TryAdd(key, value))
            {
                error = $"Key {Shown(key)} appears more than once.";
                return false;
            }
        }
        error = "";
        return true;
    }

    private static bool OnlyKnownKeys(Dictionary<string, string> values, string[] allowed, string type, out string error)
    {
        foreach (var key in values.Keys)
        {
            if (Array.IndexOf(allowed, key) < 0)
            {
                error = $"Unknown key {Shown(key)} for type={type} (allowed: {string.Join(", ", allowed)}).";
                return false;
            }
        }
        error = "";
        return true;
    }

    private static bool TryLnd(Dictionary<string, string> v, out LightningConnectionString? result, out string error)
    {
        result = null;
        if (!v.TryGetValue("server", out var serverText))
        {
            error = "Key 'server' is missing (e.g. server=https://127.0.0.1:8080/).";
            return false;
        }
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            error = "Key 'server' must be an absolute http:// or https:// URL.";
            return false;
        }

        var allowInsecure = false;
        if (v.TryGetValue("allowinsecure", out var ai))
        {
            if (!bool.TryParse(ai, out allowInsecure))
            {
                error = "Key 'allowinsecure' must be true or false.";
                return false;
            }
        }
        if (server.Scheme == Uri.UriSchemeHttp && !allowInsecure && !server.Host.EndsWith(".onion", StringComparison.OrdinalIgnoreCase))
        {
            error = "Key 'server' uses plain http: use https, or add allowinsecure=true to accept an unencrypted connection.";
            return false;
        }

        MacaroonSource? macaroon = null;
        if (v.TryGetValue("macaroon", out var macaroonHex))
        {
            if (v.ContainsKey("macaroonfilepath"))
            {
                error = "Keys 'macaroon' and 'macaroonfilepath' cannot both be set.";
                return false;
            }
            if (macaroonHex.Length % 2 != 0 || Hex.TryDecode(macaroonHex, macaroonHex.Length / 2) is not { } bytes)
            {
                error = "Key 'macaroon' must be hexadecimal (the bytes of the .macaroon file as hex).";
                return false;
            }
            macaroon = MacaroonSource.FromBytes(bytes);
        }
        else if (v.TryGetValue("macaroonfilepath", out var macaroonPath))
        {
            if (v.TryGetValue("macaroondirectorypath", out var dir))
                macaroonPath = Path.Combine(dir, macaroonPath);
            if (!macaroonPath.EndsWith(".macaroon", StringComparison.OrdinalIgnoreCase))
            {
                error = "Key 'macaroonfilepath' must name a .macaroon file.";
                return false;
            }
            macaroon = MacaroonSource.FromFile(macaroonPath);
        }
        else if (v.ContainsKey("macaroondirectorypath"))
        {
            error = "Key 'macaroondirectorypath' needs 'macaroonfilepath' too.";
            return false;
        }

        byte[]? thumbprint = null;
        string? certFile = null;
        if (v.TryGetValue("certthumbprint", out var tp))
        {
            if (v.ContainsKey("certfilepath"))
            {
                error = "Keys 'certthumbprint' and 'certfilepath' cannot both be set.";
                return false;
            }
            thumbprint = Hex.TryDecode(tp.Replace(":", "", StringComparison.Ordinal), 32);
            if (thumbprint is null)
            {
                error = "Key 'certthumbprint' must be the SHA-256 of the certificate: 64 hex characters (colons allowed).";
                return false;
            }
        }
        else if (v.TryGetValue("certfilepath", out var cf))
        {
            certFile = cf;
        }

        result = new LightningConnectionString.LndRest(server, macaroon, thumbprint, certFile, allowInsecure);
        error = "";
        return true;
    }

    private static bool TryCln(Dictionary<string, string> v, out LightningConnectionString? result, out string error)
    {
        result = null;
        if (!v.TryGetValue("server", out var server))
        {
            error = "Key 'server' is missing (e.g. server=unix://root/.lightning/bitcoin/lightning-rpc).";
            return false;
        }
        if (server.StartsWith('/'))
            server = "unix:" + (server.StartsWith("//", StringComparison.Ordinal) ? server : "//" + server);
        if (server.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            var path = "/" + server["unix:".Length..].TrimStart('/');
            if (path.Length <= 1)
            {
                error = "Key 'server' has an empty unix socket path.";
                return false;
            }
            result = new LightningConnectionString.CoreLightning(path, null, 0);
            error = "";
            return true;
        }
        if (server.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase)
            && Uri.TryCreate(server, UriKind.Absolute, out var uri) && uri.Host.Length > 0 && uri.Port > 0)
        {
            result = new LightningConnectionString.CoreLightning(null, uri.Host, uri.Port);
            error = "";
            return true;
        }
        error = "Key 'server' must be unix://<socket path> or tcp://<host>:<port>.";
        return false;
    }

    private static bool TrySimulated(Dictionary<string, string> v, out LightningConnectionString? result, out string error)
    {
        result = null;
        var network = BitcoinNetwork.Regtest;
        if (v.TryGetValue("network", out var n))
        {
            BitcoinNetwork? parsed = n.ToLowerInvariant() switch
            {
                "mainnet" or "bitcoin" => BitcoinNetwork.Mainnet,
                "testnet" => BitcoinNetwork.Testnet,
                "signet" => BitcoinNetwork.Signet,
                "regtest" => BitcoinNetwork.Regtest,
                _ => null,
            };
            if (parsed is null)
            {
                error = "Key 'network' must be mainnet, testnet, signet or regtest.";
                return false;
            }
            network = parsed.Value;
        }
        var policy = UnknownPayeePolicy.Succeed;
        if (v.TryGetValue("unknownpayees", out var u))
        {
            UnknownPayeePolicy? parsed = u.ToLowerInvariant() switch
            {
                "succeed" => UnknownPayeePolicy.Succeed,
                "fail" or "noroute" => UnknownPayeePolicy.NoRoute,
                _ => null,
            };
            if (parsed is null)
            {
                error = "Key 'unknownpayees' must be succeed or fail.";
                return false;
            }
            policy = parsed.Value;
        }
        var delay = TimeSpan.FromMilliseconds(200);
        if (v.TryGetValue("delay", out var d) && !TryDuration(d, out delay))
        {
            error = "Key 'delay' must be a duration such as 500ms, 2s or 00:00:01.";
            return false;
        }
        TimeSpan? holdFor = null;
        if (v.TryGetValue("holdfor", out var h))
        {
            if (!TryDuration(h, out var hold) || hold <= TimeSpan.Zero)
            {
                error = "Key 'holdfor' must be a positive duration such as 5s or 1500ms.";
                return false;
            }
            holdFor = hold;
        }
        result = new LightningConnectionString.Simulated(network, policy, delay, holdFor);
        error = "";
        return true;
    }

    private static bool TryDuration(string text, out TimeSpan value)
    {
        value = default;
        long n;
        // The bound before the conversion: TimeSpan.FromSeconds throws past ~29,000 years.
        if (text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) && long.TryParse(text[..^2], NumberStyles.None, CultureInfo.InvariantCulture, out n))
            value = n <= 3_600_000 ? TimeSpan.FromMilliseconds(n) : TimeSpan.MaxValue;
        else if (text.EndsWith('s') && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out n))
            value = n <= 3_600 ? TimeSpan.FromSeconds(n) : TimeSpan.MaxValue;
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value))
            return false;
        return value >= TimeSpan.Zero && value <= TimeSpan.FromHours(1);
    }

    /// <summary>
    /// A key or type value as the error may show it: quoted when it looks like a name (lower-case
    /// letters, '-' and '_', as every key and type is), otherwise withheld. A value pasted with a lost
    /// ';' ("type=lnd-rest,macaroon=0201…") or a key with a secret glued on must not reach a log.
    /// </summary>
    private static string Shown(string s)
    {
        var name = s.ToLowerInvariant();
        return name.Length <= 40 && name.All(c => c is (>= 'a' and <= 'z') or '-' or '_') ? $"'{name}'" : "(not shown: it is not a name and may hold a secret)";
    }
}
