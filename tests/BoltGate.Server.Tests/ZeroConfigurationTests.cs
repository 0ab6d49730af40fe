using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BoltGate.Client;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Money;
using BoltGate.Lightning.Simulated;

namespace BoltGate.Server.Tests;

/// <summary>The README's run command: the real server process with no configuration at all.</summary>
[Trait(Category.Name, Category.Process)]
public sealed partial class ZeroConfigurationTests : IDisposable
{
    private readonly TempDir _workDir = new("boltgate-run-");

    [Fact]
    public async Task With_no_configuration_it_serves_taps_and_prints_the_admin_key_once()
    {
        string adminKey;
        string cardId;
        using (var server = ServerProcess.Start(_workDir.Path))
        {
            await server.WaitHealthyAsync();
            var printed = AdminKeyLine().Match(server.Stdout);
            Assert.True(printed.Success, "the admin key was not printed:\n" + server.Stdout);
            adminKey = printed.Groups[1].Value;
            Assert.Contains("curl -s -X POST " + server.Url + "/api/v1/cards", server.Stdout);

            var dataDir = Path.Combine(_workDir.Path, "data");
            foreach (var file in new[] { "admin.key", "issuer.key", "data.key" })
                AssertOwnerOnly(Path.Combine(dataDir, file));
            Assert.True(File.Exists(Path.Combine(dataDir, "boltgate.db")));
            Assert.Equal(adminKey, server.ReadDataFile("admin.key"));
            var issuerKey = server.ReadDataFile("issuer.key");
            Assert.DoesNotContain(issuerKey, server.Stdout, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(Path.Combine(dataDir, "issuer.key"), server.Stdout);

            using var admin = server.AdminClient(adminKey);
            var created = await admin.CreateCardAsync(new CreateCardRequest("first", "04a39493cc8680"), default);
            Assert.Equal($"lnurlw://127.0.0.1:{new Uri(server.Url).Port}/ln", created.Lnurlw);
            var card = TestCard.From(created);
            cardId = card.Id;
            Assert.Equal(2_000_000, (await admin.CreditAsync(card.Id, 2_000, null, default)).BalanceMsat);
            using var http = new HttpClient { BaseAddress = new Uri(server.Url) };

            var (p, c) = card.Tap(1);
            var offer = await http.GetFromJsonAsync<JsonElement>($"/ln?p={p}&c={c}");
            Assert.Equal("withdrawRequest", offer.GetProperty("tag").GetString());

            // Any regtest wallet's invoice: the built-in simulated node pretends to pay it.
            var wallet = new SimulatedNetwork(BitcoinNetwork.Regtest, TimeProvider.System);
            wallet.AddPayee("wallet", new PayeeBehavior.Succeed(TimeSpan.Zero, Msat.Zero));
            var invoice = wallet.CreatePayeeInvoice("wallet", Msat.FromSat(500));
            var paid = await http.GetFromJsonAsync<JsonElement>($"/ln/callback?k1={offer.GetProperty("k1").GetString()}&pr={invoice}");
            Assert.Equal("OK", paid.GetProperty("status").GetString());
            // Request URLs (tap p/c, k1, invoices, programming codes) are not logged by default.
            Assert.DoesNotContain(p, server.Stdout, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(offer.GetProperty("k1").GetString()!, server.Stdout, StringComparison.OrdinalIgnoreCase);
            Assert.True((await admin.GetCardAsync(card.Id, default)).BalanceMsat <= 1_500_000);
        }

        // Second start on the same folder: same secrets, nothing printed again.
        using (var again = ServerProcess.Start(_workDir.Path))
        {
            await again.WaitHealthyAsync();
            Assert.DoesNotMatch(AdminKeyLine(), again.Stdout);
            using var admin = again.AdminClient(adminKey);
            Assert.Equal(1, (await admin.GetCardAsync(cardId, default)).Counter);
        }
    }

    [Fact]
    public async Task A_bad_configuration_stops_the_start_with_a_clear_message()
    {
        using var server = ServerProcess.Start(_workDir.Path, "--Storage:Provider=mysql", "--Payments:FeeLimitPpm=-1");
        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the server should refuse to start");
        Assert.Equal(2, server.ExitCode);
        Assert.Contains("Storage:Provider must be 'sqlite' or 'postgres', not 'mysql'", server.Stderr);
        Assert.Contains("Payments:FeeLimitPpm", server.Stderr);
    }

    private static void AssertOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows())
            return; // no Unix modes there; the gateway is built for Linux
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    public void Dispose()
    {
        _workDir.Dispose();
    }

    [GeneratedRegex(@"Admin API key \(shown once\): (\S+)")]
    private static partial Regex AdminKeyLine();
}
