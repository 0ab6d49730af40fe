using BoltGate.Nfc.Gateway;
using BoltGate.Nfc.Provisioning;

namespace BoltGate.Nfc.Cli;

/// <summary>Turns burn's options into "give me the keys for this UID": keys file, programming URL, or the gateway's admin API.</summary>
internal static class KeySourceFactory
{
    public static Func<string, CancellationToken, Task<KeyLookup>> Create(
        string? keysFile, string? programUrl, string? gateway, string? apiKey, string? name, GatewayClient http)
    {
        var chosen = new[] { keysFile, programUrl, gateway }.Count(s => s is not null);
        if (chosen != 1)
            throw new CliException("Give exactly one key source: --keys FILE, --program-url URL or --gateway URL.");
        if (keysFile is not null)
        {
            var json = File.ReadAllText(keysFile);
            if (!ProgrammerJson.TryParseKeys(json, out var keys, out var error))
                throw new CliException($"{keysFile}: {error}");
            return (_, _) => Task.FromResult(KeyLookup.Found(keys));
        }
        if (programUrl is not null)
        {
            var uri = ParseUrl(programUrl, "--program-url");
            return (uid, ct) => http.ProgramAsync(uri, uid, ct);
        }
        var gw = ParseUrl(gateway!.EndsWith('/') ? gateway : gateway + "/", "--gateway");
        var key = apiKey ?? Environment.GetEnvironmentVariable("BOLTGATE_API_KEY")
            ?? throw new CliException("--gateway needs an admin API key: --api-key or BOLTGATE_API_KEY.");
        return (uid, ct) => http.CreateCardAsync(gw, key, name ?? $"card {uid}", uid, ct);
    }

    public static Uri ParseUrl(string value, string option)
    {
        if (value.StartsWith("boltcard://", StringComparison.OrdinalIgnoreCase))
        {
            // boltcard://program?url=<urlencoded> or boltcard://reset?url=<urlencoded>
            var q = value.IndexOf("url=", StringComparison.OrdinalIgnoreCase);
            if (q < 0)
                throw new CliException($"{option}: the boltcard:// link has no url= parameter.");
            var end = value.IndexOf('&', q);
            value = Uri.UnescapeDataString(end < 0 ? value[(q + 4)..] : value[(q + 4)..end]);
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new CliException($"{option}: '{value}' is not an http(s) URL.");
        return uri;
    }
}
