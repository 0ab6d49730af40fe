using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Sun;

namespace BoltGate.Nfc.Cli;

/// <summary>
/// Developer commands that need no card and no reader: <c>tap --virtual</c> prints the URL the card
/// would make on its next tap (p and c from its K1/K2, UID and counter), and <c>invoice</c> prints a
/// signed BOLT11 invoice from a throwaway key, which the gateway's simulated node pays. Both print one
/// line (or one JSON object with --json), so <c>$(boltgate-nfc tap ...)</c> works in a shell.
/// </summary>
internal static class DevCommands
{
    private static readonly Option<bool> VirtualOption = new("--virtual") { Description = "Make the tap in software, as the card would (required: no reader is used)." };
    private static readonly Option<string?> CardOption = new("--card") { Description = "Card id on the gateway: keys, UID and last counter come from its admin API (--gateway, --api-key)." };
    private static readonly Option<string?> GatewayOption = new("--gateway") { Description = "BoltGate base URL, e.g. http://127.0.0.1:5000 (or BOLTGATE_URL)." };
    private static readonly Option<string?> ApiKeyOption = new("--api-key") { Description = "Admin API key (or BOLTGATE_API_KEY)." };
    private static readonly Option<string?> UidOption = new("--uid") { Description = "Without --card: the card's UID (14 hex)." };
    private static readonly Option<string?> K1Option = new("--k1") { Description = "Without --card: K1 (32 hex), the key p is encrypted with." };
    private static readonly Option<string?> K2Option = new("--k2") { Description = "Without --card: K2 (32 hex), the key c is a MAC with." };
    private static readonly Option<string?> StateOption = new("--state") { Description = "Without --card: a file holding the last counter used; read, advanced and written back." };
    private static readonly Option<long?> CounterOption = new("--counter") { Description = "Use this counter instead of the next one." };
    private static readonly Option<string?> BaseOption = new("--base") { Description = "Without --card: URL the card appends ?p=&c= to (default {gateway}/ln)." };
    private static readonly Option<long> AmountOption = new("--amount-sat") { Description = "Invoice amount in sat.", Required = true };
    private static readonly Option<string> NetworkOption = new("--network") { Description = "regtest (default), signet or testnet.", DefaultValueFactory = _ => "regtest" };
    private static readonly Option<int> ExpiryOption = new("--expiry-seconds") { Description = "Invoice expiry.", DefaultValueFactory = _ => 600 };
    private static readonly Option<string?> DescriptionOption = new("--description") { Description = "Invoice description." };
    private static readonly Option<bool> JsonOption = new("--json") { Description = "Print a JSON object." };

    private const long MaxCounter = 0xFFFFFF;

    public static Command Tap(TextWriter output, TextWriter error, HttpClient http)
    {
        var tap = new Command("tap", "Print the URL of a card's next tap without a card (--virtual): for a gateway in development.");
        foreach (var o in new Option[] { VirtualOption, CardOption, GatewayOption, ApiKeyOption, UidOption, K1Option, K2Option, StateOption, CounterOption, BaseOption, JsonOption })
            tap.Add(o);
        tap.SetAction((p, ct) => Guard(error, async () =>
        {
            if (!p.GetValue(VirtualOption))
                throw new CliException("tap needs --virtual (a real card taps itself; read it with `verify`).");
            var gateway = p.GetValue(GatewayOption) ?? Environment.GetEnvironmentVariable("BOLTGATE_URL");
            byte[] k1, k2;
            CardUid uid;
            long counter;
            string baseUrl;
            if (p.GetValue(CardOption) is { } cardId)
            {
                if (gateway is null)
                    throw new CliException("--card needs --gateway (or BOLTGATE_URL).");
                var apiKey = p.GetValue(ApiKeyOption) ?? Environment.GetEnvironmentVariable("BOLTGATE_API_KEY")
                    ?? throw new CliException("--card needs an admin API key: --api-key or BOLTGATE_API_KEY.");
                var root = new Uri(gateway.TrimEnd('/') + "/");
                var id = Uri.EscapeDataString(cardId);
                using var keys = await GetJsonAsync(http, new Uri(root, $"api/v1/cards/{id}/wipe"), apiKey, ct).ConfigureAwait(false);
                using var card = await GetJsonAsync(http, new Uri(root, $"api/v1/cards/{id}"), apiKey, ct).ConfigureAwait(false);
                k1 = Key(keys.RootElement.GetProperty("k1").GetString(), "the gateway's k1");
                k2 = Key(keys.RootElement.GetProperty("k2").GetString(), "the gateway's k2");
                if (!CardUid.TryParse(card.RootElement.GetProperty("uid").GetString(), out uid))
                    throw new CliException("This card has no UID yet (it is learned at its first real tap); create it with a uid.");
                var last = card.RootElement.GetProperty("counter");
                counter = p.GetValue(CounterOption) ?? (last.ValueKind == JsonValueKind.Number ? last.GetInt64() + 1 : 1);
                baseUrl = root + "ln";
            }
            else
            {
                k1 = Key(p.GetValue(K1Option), "--k1");
                k2 = Key(p.GetValue(K2Option), "--k2");
                if (!CardUid.TryParse(p.GetValue(UidOption), out uid))
                    throw new CliException("Give --card (with --gateway), or --uid (14 hex) with --k1 and --k2.");
                var state = p.GetValue(StateOption);
                counter = p.GetValue(CounterOption) ?? (state is not null && File.Exists(state) ? ReadCounter(state) + 1 : 1);
                baseUrl = p.GetValue(BaseOption) ?? (gateway is null
                    ? throw new CliException("Give --base (the URL the card appends ?p=&c= to) or --gateway.")
                    : gateway.TrimEnd('/') + "/ln");
                if (state is not null)
                    await File.WriteAllTextAsync(state, counter.ToString(CultureInfo.InvariantCulture) + "\n", ct).ConfigureAwait(false);
            }
            if (counter is < 0 or > MaxCounter)
                throw new CliException($"The counter must be between 0 and {MaxCounter}.");
            var (pHex, cHex) = SunGenerator.Create(k1, k2, uid, (uint)counter);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(k1);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(k2);
            var url = $"{baseUrl}?p={pHex}&c={cHex}";
            await output.WriteLineAsync(p.GetValue(JsonOption)
                ? JsonSerializer.Serialize(new { url, counter, uid = uid.Hex })
                : url).ConfigureAwait(false);
            return 0;
        }));
        return tap;
    }

    public static Command Invoice(TextWriter output, TextWriter error)
    {
        var invoice = new Command("invoice", "Print a signed BOLT11 invoice from a throwaway key (never paid out): for a gateway on the simulated node.");
        foreach (var o in new Option[] { AmountOption, NetworkOption, ExpiryOption, DescriptionOption, JsonOption })
            invoice.Add(o);
        invoice.SetAction((p, _) => Guard(error, async () =>
        {
            var network = p.GetValue(NetworkOption)?.ToLowerInvariant() switch
            {
                "regtest" => BitcoinNetwork.Regtest,
                "signet" => BitcoinNetwork.Signet,
                "testnet" => BitcoinNetwork.Testnet,
                var other => throw new CliException($"--network must be regtest, signet or testnet, not '{other}' (no one could pay out a mainnet one)."),
            };
            var amount = p.GetValue(AmountOption);
            if (amount is < 1 or > 100_000_000)
                throw new CliException("--amount-sat must be between 1 and 100000000.");
            var expiry = p.GetValue(ExpiryOption);
            if (expiry is < 1 or > 86_400)
                throw new CliException("--expiry-seconds must be between 1 and 86400.");
            var bolt11 = ThrowawayInvoice.Create(network, Msat.FromSat(amount), DateTimeOffset.UtcNow,
                p.GetValue(DescriptionOption) ?? "boltgate-nfc invoice", TimeSpan.FromSeconds(expiry));
            await output.WriteLineAsync(p.GetValue(JsonOption)
                ? JsonSerializer.Serialize(new { bolt11, amountMsat = Msat.FromSat(amount).Value })
                : bolt11).ConfigureAwait(false);
            return 0;
        }));
        return invoice;
    }

    private static async Task<int> Guard(TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (CliException e)
        {
            await error.WriteLineAsync("boltgate-nfc: " + e.Message).ConfigureAwait(false);
            return 2;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync("boltgate-nfc: the gateway cannot be reached: " + e.Message).ConfigureAwait(false);
            return 2;
        }
        catch (IOException e)
        {
            await error.WriteLineAsync("boltgate-nfc: " + e.Message).ConfigureAwait(false);
            return 2;
        }
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient http, Uri url, string apiKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new CliException($"{url.AbsolutePath} answered {(int)response.StatusCode}: {(body.Length > 300 ? body[..300] : body)}");
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new CliException($"{url.AbsolutePath} did not answer JSON.");
        }
    }

    private static byte[] Key(string? hex, string what) =>
        hex is not null && Hex.TryDecode(hex, 16) is { } key ? key : throw new CliException($"{what} must be 32 hex characters.");

    private static long ReadCounter(string file) =>
        long.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n : throw new CliException($"{file} must hold the last counter as a number.");
}
