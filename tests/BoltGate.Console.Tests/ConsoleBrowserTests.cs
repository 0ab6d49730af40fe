using System.Diagnostics;
using System.Text.Json;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Money;
using BoltGate.Lightning.Simulated;
using Microsoft.Playwright;

namespace BoltGate.Console.Tests;

/// <summary>
/// The console and the balance page as their users meet them, in headless Chromium against the real
/// gateway process: an operator runs a card's life (create, program by QR, credit, a paid and a refused
/// payment watched live), a holder checks the balance by Web NFC and by a pasted link, and the guards
/// hold (lockout, antiforgery, roles). axe-core runs on every page.
/// </summary>
[Trait(Category.Name, Category.Process)]
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleBrowserTests(ConsoleFixture gateway)
{
    [Fact]
    public async Task An_operator_runs_a_card_from_creation_through_a_paid_and_a_refused_payment_and_its_holder_sees_both()
    {
        await using var b = await gateway.SignedInAsync(ConsoleFixture.AdminName, ConsoleFixture.AdminPassword);
        var page = b.Page;

        // Create a card with a UID (keys derived from the issuer key).
        await page.GetByRole(AriaRole.Link, new() { Name = "Cards", Exact = true }).ClickAsync();
        var uid = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(7));
        await page.GetByLabel("Name", new() { Exact = true }).First.FillAsync("Bar tab 7");
        await page.GetByLabel("UID (14 hex characters, optional)").FillAsync(uid);
        await page.GetByLabel("Daily limit in sat (optional)").First.FillAsync("20000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create card" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Bar tab 7" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Card “Bar tab 7” created.");
        var cardId = page.Url.Split('/')[^1];
        await Assertions.Expect(page.GetByText(uid)).ToBeVisibleAsync();

        // Credit it, with a reason.
        await page.GetByLabel("Amount in sat").FillAsync("5000");
        await page.GetByLabel("Reason").FillAsync("cash at the bar");
        await page.GetByRole(AriaRole.Button, new() { Name = "Credit", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Credited 5,000 sat; the balance is 5,000 sat.");
        await Assertions.Expect(page.GetByTestId("balance")).ToHaveTextAsync("5,000 sat");
        await Assertions.Expect(page.GetByTestId("history")).ToContainTextAsync("Credited: cash at the bar (by ada) (+5,000 sat)");
        Assert.Equal(5_000_000, await gateway.BalanceMsatAsync(cardId));
        await b.AuditAsync("card");

        // The card list finds it by part of its name, in any case.
        await page.GotoAsync("/console/cards?q=BAR+TAB");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Bar tab 7" })).ToBeVisibleAsync();
        await b.AuditAsync("cards");

        // A payment with a valid tap, watched on the card page without reloading it.
        await page.GotoAsync($"/console/cards/{cardId}");
        await page.EvaluateAsync("() => { window.__sameDocument = 'yes'; }");
        var paid = await gateway.PayWithTapAsync(cardId, await gateway.DevInvoiceAsync(1_200));
        Assert.Equal("OK", paid.GetProperty("status").GetString());
        await Assertions.Expect(page.GetByTestId("history")).ToContainTextAsync("paid: Paid 1,200 sat", new() { Timeout = 15_000 });
        Assert.Equal("yes", await page.EvaluateAsync<string>("() => window.__sameDocument"));

        // The shop's node cannot be reached (no route): the refund and its reason appear, still without a reload.
        var network = new SimulatedNetwork(BitcoinNetwork.Regtest, TimeProvider.System);
        network.AddStandardPayees();
        var refused = await gateway.PayWithTapAsync(cardId, network.CreatePayeeInvoice("noroute", Msat.FromSat(1_200), "coffee"));
        Assert.Equal("ERROR", refused.GetProperty("status").GetString());
        await Assertions.Expect(page.GetByTestId("history")).ToContainTextAsync(
            "refunded: The shop's node could not be reached; 1,200 sat were back on the card", new() { Timeout = 15_000 });
        Assert.Equal("yes", await page.EvaluateAsync<string>("() => window.__sameDocument"));
        var balanceAfter = await gateway.BalanceMsatAsync(cardId);
        await Assertions.Expect(page.GetByTestId("balance")).ToHaveTextAsync($"{balanceAfter / 1000:N0} sat");
        Assert.Equal(3_800_000, balanceAfter);
        await b.AuditAsync("card-history");

        // The withdrawals list filters by outcome; the detail page tells the story.
        await page.GotoAsync("/console/withdrawals?state=refunded");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "The shop's node could not be reached; 1,200 sat were back on the card" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "paid", Exact = true })).ToHaveCountAsync(0);
        await b.AuditAsync("withdrawals");
        await page.Locator("table tbody a").First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Withdrawal of 1,200 sat" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("ol.timeline")).ToContainTextAsync("The shop's node could not be reached; refunded");
        await b.AuditAsync("withdrawal");

        // The holder pastes the URL of a fresh tap: balance, today's room, both payments in plain words.
        await using var holder = await gateway.NewBrowserAsync("Asia/Tokyo");
        var hp = holder.Page;
        await hp.GotoAsync("/balance");
        await holder.AuditAsync("balance");
        var tap = await gateway.NextTapUrlAsync(cardId);
        await hp.GetByLabel("Or paste the link your card gave when you tapped it").FillAsync(tap);
        await hp.GetByRole(AriaRole.Button, new() { Name = "Show balance" }).ClickAsync();
        var result = hp.GetByTestId("holder-result");
        await Assertions.Expect(result).ToContainTextAsync("3,800 sat");
        await Assertions.Expect(result).ToContainTextAsync("You can still spend 18,800 sat today.");
        await Assertions.Expect(result).ToContainTextAsync("The shop's node could not be reached; 1,200 sat were back on your card");
        await Assertions.Expect(result).ToContainTextAsync("Paid 1,200 sat");
        Assert.DoesNotContain(cardId, await hp.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(uid, await hp.ContentAsync(), StringComparison.OrdinalIgnoreCase);
        // Times are in the viewer's zone (Tokyo is UTC+9): the page's script rewrote the UTC text.
        Assert.DoesNotContain("UTC", await result.Locator("time").First.InnerTextAsync(), StringComparison.Ordinal);
        await holder.AuditAsync("balance-result");

        // The same tap again is used up, and it cannot pay any more either.
        await hp.GetByLabel("Or paste the link your card gave when you tapped it").FillAsync(tap);
        await hp.GetByRole(AriaRole.Button, new() { Name = "Show balance" }).ClickAsync();
        await Assertions.Expect(hp.GetByRole(AriaRole.Alert)).ToContainTextAsync("This tap could not be verified");
        await Assertions.Expect(hp.GetByTestId("holder-result")).ToHaveCountAsync(0);
        using (var http = new HttpClient())
        {
            var replay = JsonDocument.Parse(await http.GetStringAsync(tap)).RootElement;
            Assert.Equal("ERROR", replay.GetProperty("status").GetString());
        }
        Assert.Equal(3_800_000, await gateway.BalanceMsatAsync(cardId));

        // Programming: a one-time link as a QR code that a real decoder reads back to the link shown.
        await page.GotoAsync("/console/programming");
        await page.GetByLabel("Card name").FillAsync("Staff card");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make link" }).ClickAsync();
        var shown = (await page.GetByTestId("programming-url").InnerTextAsync()).Trim();
        Assert.StartsWith(gateway.Server.Url + "/", shown, StringComparison.Ordinal);
        Assert.Contains("code=", shown, StringComparison.Ordinal);
        var qrFile = Path.Combine(ConsoleFixture.ArtifactDir, "programming-qr.png");
        await page.GetByTestId("programming-qr").ScreenshotAsync(new() { Path = qrFile });
        Assert.Equal(shown, await DecodeQrAsync(qrFile));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Program a blank card (deeplink)" }))
            .ToHaveAttributeAsync("href", "boltcard://program?url=" + Uri.EscapeDataString(shown.Replace("/create?", "/program?", StringComparison.Ordinal)));
        await b.AuditAsync("programming");

        // The wipe QR carries the card's keys as the app reads them.
        await page.GotoAsync($"/console/programming?wipe={cardId}");
        var wipeFile = Path.Combine(ConsoleFixture.ArtifactDir, "wipe-qr.png");
        await page.GetByTestId("wipe-qr").ScreenshotAsync(new() { Path = wipeFile });
        var wipe = JsonDocument.Parse(await DecodeQrAsync(wipeFile)).RootElement;
        Assert.Equal(("wipe", cardId, uid), (wipe.GetProperty("action").GetString(), wipe.GetProperty("id").GetString(), wipe.GetProperty("uid").GetString()));
        Assert.Equal(32, wipe.GetProperty("k0").GetString()!.Length);

        // The overview: what is owed, the node, and the chart with this test's taps and outcomes.
        await page.GotoAsync("/console");
        await Assertions.Expect(page.Locator("svg.chart title").First).ToContainTextAsync("payments paid");
        Assert.True(await page.Locator("svg.chart rect").CountAsync() >= 3);
        await b.AuditAsync("overview");

        // Users and the configuration (the admin key is masked).
        await page.GotoAsync("/console/users");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = ConsoleFixture.ViewerName, Exact = true })).ToBeVisibleAsync();
        await b.AuditAsync("users");
        await page.GotoAsync("/console/config");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "Admin:ApiKey" })).ToContainTextAsync("••••••");
        Assert.DoesNotContain(gateway.Server.AdminKey, await page.ContentAsync(), StringComparison.Ordinal);
        await b.AuditAsync("config");
    }

    [Fact]
    public async Task The_holder_taps_the_card_on_a_phone_with_Web_NFC()
    {
        var cardId = await NewFundedCardAsync("Phone card", 2_500);
        var tap = await gateway.NextTapUrlAsync(cardId);
        await using var holder = await gateway.NewBrowserAsync();
        await holder.Page.SetViewportSizeAsync(390, 844);
        // Chrome on Android's NDEFReader, stubbed: scan() succeeds and the card's NDEF URL record arrives.
        await holder.Context.AddInitScriptAsync("""
            window.NDEFReader = class {
              async scan() {
                setTimeout(() => this.onreading({ message: { records: [
                  { recordType: "url", data: new TextEncoder().encode(TAP_URL) } ] } }), 50);
              }
            };
            """.Replace("TAP_URL", JsonSerializer.Serialize(tap.Replace("http://", "lnurlw://", StringComparison.Ordinal))));
        await holder.Page.GotoAsync("/balance");
        await holder.Page.GetByRole(AriaRole.Button, new() { Name = "Tap your card" }).ClickAsync();
        await Assertions.Expect(holder.Page.GetByTestId("holder-result")).ToContainTextAsync("2,500 sat");
        await Assertions.Expect(holder.Page.GetByTestId("holder-result")).ToContainTextAsync("No payments yet.");
        await holder.AuditAsync("balance-phone");
    }

    [Fact]
    public async Task A_payment_held_in_flight_shows_on_the_overview_live_and_leaves_it_when_it_settles()
    {
        var cardId = await NewFundedCardAsync("Held card", 4_000);
        await using var b = await gateway.SignedInAsync(ConsoleFixture.OperatorName, ConsoleFixture.OperatorPassword);
        await Assertions.Expect(b.Page.GetByText("No payment is in progress.").First).ToBeVisibleAsync();
        // The simulated "hold-settle" payee keeps the HTLC out for 10 s (a merchant's hold invoice), then settles.
        var network = new SimulatedNetwork(BitcoinNetwork.Regtest, TimeProvider.System);
        network.AddStandardPayees();
        var paying = gateway.PayWithTapAsync(cardId, network.CreatePayeeInvoice("hold-settle", Msat.FromSat(1_500), "held"));
        var row = b.Page.Locator("table tbody tr").Filter(new() { HasText = "1,500 sat" });
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 8_000 });
        await Assertions.Expect(row).ToContainTextAsync(cardId[..8]);
        await Assertions.Expect(b.Page.Locator("section[aria-labelledby=owed]")).ToContainTextAsync("held for 1 payment(s) in progress");
        await b.AuditAsync("overview-in-flight");
        await Assertions.Expect(row).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Assertions.Expect(b.Page.GetByText("No payment is in progress.").First).ToBeVisibleAsync();
        await paying.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(await gateway.BalanceMsatAsync(cardId) < 2_500_000);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var (exit, _, _) = await gateway.RunUsersAddAsync("lena", "operator", "lena password 1");
        Assert.Equal(0, exit);
        await using var b = await gateway.NewBrowserAsync();
        for (var i = 1; i <= 5; i++)
        {
            await b.Page.GotoAsync("/console/login");
            await b.Page.GetByLabel("User name").FillAsync("lena");
            await b.Page.GetByLabel("Password").FillAsync("wrong password " + i);
            await b.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(b.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync(i < 5 ? "Wrong user name or password." : "This account is locked");
        }
        await b.Page.GetByLabel("User name").FillAsync("lena");
        await b.Page.GetByLabel("Password").FillAsync("lena password 1");
        await b.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(b.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This account is locked");
        await b.AuditAsync("login-locked");
        var denied = await b.Page.GotoAsync("/console/cards");
        Assert.EndsWith("/console/login?ReturnUrl=%2Fconsole%2Fcards", denied!.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused()
    {
        var cardId = await NewFundedCardAsync("Token card", 1_000);
        await using var b = await gateway.SignedInAsync(ConsoleFixture.AdminName, ConsoleFixture.AdminPassword);
        await b.Page.GotoAsync($"/console/cards/{cardId}");
        var status = await b.Page.EvaluateAsync<int>($$"""
            async () => (await fetch("/console/cards/{{cardId}}?handler=Credit", {
              method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "amountSat=777&reason=forged" })).status
            """);
        Assert.Equal(400, status);
        // The same request with the page's token goes through: the refusal was the missing token.
        var withToken = await b.Page.EvaluateAsync<string>($$"""
            async () => {
              const token = document.querySelector("input[name=__RequestVerificationToken]").value;
              return (await fetch("/console/cards/{{cardId}}?handler=Credit", {
                method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
                body: "amountSat=1&reason=real&__RequestVerificationToken=" + encodeURIComponent(token), redirect: "manual" })).type;
            }
            """);
        Assert.Equal("opaqueredirect", withToken);
        Assert.Equal(1_001_000, await gateway.BalanceMsatAsync(cardId));
    }

    [Fact]
    public async Task A_viewer_sees_the_card_but_cannot_credit_it()
    {
        var cardId = await NewFundedCardAsync("Viewer card", 1_000);
        await using var b = await gateway.SignedInAsync(ConsoleFixture.ViewerName, ConsoleFixture.ViewerPassword);
        await b.Page.GotoAsync($"/console/cards/{cardId}");
        await Assertions.Expect(b.Page.GetByTestId("balance")).ToHaveTextAsync("1,000 sat");
        await Assertions.Expect(b.Page.GetByRole(AriaRole.Button, new() { Name = "Credit", Exact = true })).ToHaveCountAsync(0);
        await Assertions.Expect(b.Page.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);
        await b.AuditAsync("card-viewer");
        // Posting the credit form anyway, with a valid token, is forbidden and moves nothing.
        var status = await b.Page.EvaluateAsync<int>($$"""
            async () => {
              const token = document.querySelector("input[name=__RequestVerificationToken]").value;
              return (await fetch("/console/cards/{{cardId}}?handler=Credit", {
                method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
                body: "amountSat=5000&reason=sneaky&__RequestVerificationToken=" + encodeURIComponent(token) })).status;
            }
            """);
        Assert.Equal(403, status);
        Assert.Equal(1_000_000, await gateway.BalanceMsatAsync(cardId));
        var users = await b.Page.GotoAsync("/console/users");
        Assert.Equal(403, users!.Status);

        // Signing out (a form with its token too) ends the session: the console asks to sign in again.
        await b.Page.GotoAsync("/console");
        await b.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out vera" }).ClickAsync();
        await Assertions.Expect(b.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the BoltGate console" })).ToBeVisibleAsync();
        await b.Page.GotoAsync($"/console/cards/{cardId}");
        Assert.Contains("/console/login", b.Page.Url, StringComparison.Ordinal);
    }

    private async Task<string> NewFundedCardAsync(string name, long sat)
    {
        using var http = gateway.Server.RawAdminClient();
        var uid = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(7));
        var created = await http.PostAsync("/api/v1/cards", System.Net.Http.Json.JsonContent.Create(new { name, uid }));
        created.EnsureSuccessStatusCode();
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var credit = await http.PostAsync($"/api/v1/cards/{id}/credit", System.Net.Http.Json.JsonContent.Create(new { amountSat = sat, reason = "test" }));
        credit.EnsureSuccessStatusCode();
        return id;
    }

    internal static async Task<string> DecodeQrAsync(string png)
    {
        var info = new ProcessStartInfo("zbarimg", ["--raw", "-q", png]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("zbarimg did not start: run `source scripts/deps/browser.sh`.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"zbarimg found no QR code in {png} (exit {process.ExitCode}): {await process.StandardError.ReadToEndAsync()}");
        return output.TrimEnd('\n');
    }
}

[Trait(Category.Name, Category.Unit)]
public sealed class TestCategoriesTests : EveryTestClassHasACategory;
