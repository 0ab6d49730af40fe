using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BoltGate.Client;
using BoltGate.Core.Crypto;

namespace BoltGate.Server.Tests;

/// <summary>
/// No key leaks into what the gateway writes: the real process at Debug log level goes through the flows that
/// handle keys (cards by UID and with random keys, imports, taps, paid and refused callbacks, wrong PINs, a
/// programming link and its redemption, wipe keys, the fuzzer's wrong bodies), then its stdout, stderr and every
/// file under its data folder except the key files are searched for every card key, the issuer key, the data key
/// and the admin key, as hex (either case), base64 and raw bytes. The admin key may appear once: the first-run banner.
/// </summary>
[Trait(Category.Name, Category.Process)]
public sealed class KeyScanTests
{
    private static readonly string[] KeyFiles = ["issuer.key", "data.key", "admin.key"];

    [Fact(Timeout = 240_000)]
    public async Task No_card_issuer_data_or_admin_key_reaches_a_log_line_or_a_file_besides_the_key_files()
    {
        using var server = await ServerProcess.StartHealthyAsync("--Logging:LogLevel:Default=Debug", "--Logging:LogLevel:Microsoft.AspNetCore=Debug",
            "--Gateway:AllowInsecurePublicUrl=true", "--Lightning:ConnectionString=type=simulated");
        var keys = new List<(string What, byte[] Key)>
        {
            ("issuer key", Hex.Decode(server.ReadDataFile("issuer.key"))),
            ("data key", DecodeKey(server.ReadDataFile("data.key"))),
        };
        var adminKey = server.AdminKey;
        using var admin = server.AdminClient();
        using var raw = server.RawAdminClient();

        var byUid = await admin.CreateCardAsync(new CreateCardRequest("by uid", "04a1b2c3d4e5f6"), default);
        var random = await admin.CreateCardAsync(new CreateCardRequest("random", null), default);
        keys.AddRange(byUid.Keys.ToList().Concat(random.Keys.ToList()).Select(k => ("card key", Hex.Decode(k))));
        var imported = Enumerable.Range(0, 5).Select(_ => Hex.Lower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))).ToArray();
        await admin.ImportCardAsync(new ImportCardRequest("imported", "04a1b2c3d4e5f7", imported[0], imported[1], imported[2], imported[3], imported[4]), default);
        keys.AddRange(imported.Select(k => ("imported card key", Hex.Decode(k))));
        await admin.CreditAsync(byUid.Id, 10_000, "scan", default);
        await admin.SetPinAsync(byUid.Id, "4321", 5_000, default);

        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        for (var i = 0; i < 3; i++)
        {
            var tap = await (await raw.PostAsync($"/api/v1/dev/cards/{byUid.Id}/tap", null)).Content.ReadFromJsonAsync<JsonElement>();
            var offer = await http.GetFromJsonAsync<JsonElement>(tap.GetProperty("url").GetString());
            var k1 = offer.GetProperty("k1").GetString();
            var amount = i == 2 ? 6_000 : 100;
            var invoice = await (await raw.PostAsJsonAsync("/api/v1/dev/invoices", new { amountSat = amount })).Content.ReadFromJsonAsync<JsonElement>();
            var pr = invoice.GetProperty("bolt11").GetString();
            if (i == 2)
                await http.GetStringAsync($"/ln/callback?k1={k1}&pr={pr}&pin=0000"); // wrong PIN
            await http.GetStringAsync($"/ln/callback?k1={k1}&pr={pr}" + (amount >= 5_000 ? "&pin=4321" : ""));
        }
        await http.GetStringAsync($"/ln?p={new string('1', 32)}&c={new string('2', 16)}");
        var link = await admin.CreateProgrammingLinkAsync(new ProgrammingLinkRequest("programmed"), default);
        var programmed = await admin.ProgramAsync(new Uri(link.ProgramUrl), "04a1b2c3d4e5f8", default);
        keys.AddRange(new[] { programmed.K0, programmed.K1, programmed.K2, programmed.K3, programmed.K4 }.Select(k => ("programmed card key", Hex.Decode(k))));
        var wipe = await admin.GetWipeKeysAsync(random.Id, default);
        Assert.Equal(random.Keys.K2, wipe.K2, ignoreCase: true);
        await raw.PostAsync("/api/v1/cards", new StringContent("{\"name\":", Encoding.UTF8, "application/json"));
        await raw.PostAsync("/api/v1/cards/import", new StringContent("{\"name\":\"x\",\"k0\":\"" + imported[0] + "zz\"}", Encoding.UTF8, "application/json"));
        await http.GetAsync("/api/v1/cards/" + byUid.Id); // no key
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cards/" + byUid.Id))
        {
            wrong.Headers.TryAddWithoutValidation("Authorization", "Bearer " + adminKey[..^2]);
            await http.SendAsync(wrong);
        }
        await Task.Delay(500);
        server.Kill();

        var output = server.Stdout + server.Stderr;
        Assert.Contains("GET /ln", output, StringComparison.Ordinal); // Debug logging really was on
        var leaks = new List<string>();
        foreach (var (what, key) in keys)
        {
            foreach (var form in Forms(key))
            {
                if (output.Contains(form, StringComparison.Ordinal))
                    leaks.Add($"{what} in the log");
            }
        }
        var adminMentions = CountOf(output, adminKey);
        if (adminMentions > 1)
            leaks.Add($"the admin key appears {adminMentions} times in the log (only the first-run banner may show it)");
        var dataDir = Path.Combine(server.WorkingDirectory, "data");
        var files = Directory.EnumerateFiles(server.WorkingDirectory, "*", SearchOption.AllDirectories)
            .Where(f => !(Path.GetDirectoryName(f) == dataDir && KeyFiles.Contains(Path.GetFileName(f)))).ToList();
        Assert.Contains(files, f => f.EndsWith("boltgate.db", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            var text = Encoding.Latin1.GetString(bytes);
            foreach (var (what, key) in keys.Append(("admin key", Encoding.UTF8.GetBytes(adminKey))))
            {
                if (bytes.AsSpan().IndexOf(key) >= 0 || Forms(key).Any(f => text.Contains(f, StringComparison.Ordinal)))
                    leaks.Add($"{what} in {Path.GetRelativePath(server.WorkingDirectory, file)}");
            }
        }
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Distinct()));
    }

    private static IEnumerable<string> Forms(byte[] key) => [Hex.Lower(key), Convert.ToHexString(key), Convert.ToBase64String(key)];

    private static byte[] DecodeKey(string text) => Hex.TryDecode(text, text.Length / 2) ?? Convert.FromBase64String(text);

    private static int CountOf(string text, string value)
    {
        var n = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
            n++;
        return n;
    }
}
