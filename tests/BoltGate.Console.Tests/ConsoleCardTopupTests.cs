using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Money;
using Microsoft.Playwright;

namespace BoltGate.Console.Tests;

/// <summary>
/// The card page's Lightning top-up and the overview's liquidity, in headless Chromium against the real
/// gateway process on its simulated node: the invoice's QR code read back by a real decoder, paid by a
/// wallet (the dev route that plays one), and the page turning to "paid" with the new balance without a
/// reload; a viewer gets no form and a forged post is refused; the overview shows what the node's
/// channels really hold and warns when the cards hold more than it can send.
/// </summary>
[Trait(Category.Name, Category.Process)]
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleCardTopupTests(ConsoleFixture gateway)
{
    [Fact]
    public async Task An_operator_tops_up_a_card_by_Lightning_and_sees_it_paid_and_the_balance_grow_without_a_reload()
    {
        var cardId = await NewCardAsync("Festival band", 1_000);
        await using var b = await gateway.SignedInAsync(ConsoleFixture.OperatorName, ConsoleFixture.OperatorPassword);
        var page = b.Page;
        await page.GotoAsync($"/console/cards/{cardId}");
        await page.GetByLabel("Invoice for (sat)").FillAsync("2500");
        await page.GetByLabel("Memo on the invoice (optional)").FillAsync("wristband at gate 3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make invoice" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Invoice for 2,500 sat made");
        var panel = page.GetByTestId("topup");
        await Assertions.Expect(panel.GetByRole(AriaRole.Heading, new() { Name = "Lightning invoice for 2,500 sat" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("topup-state")).ToHaveTextAsync("Waiting for payment…");
        await Assertions.Expect(panel).ToContainTextAsync("wristband at gate 3");

        // The text field holds the invoice; it is the node's, for the amount, with the memo; the QR code holds the same invoice.
        var bolt11 = (await page.GetByTestId("topup-invoice").InputValueAsync()).Trim();
        var invoice = Assert.IsType<Bolt11DecodeResult.Ok>(Bolt11Decoder.Decode(bolt11)).Invoice;
        Assert.Equal(Msat.FromSat(2_500), invoice.Amount);
        Assert.Equal("BoltGate top-up of card Festival band: wristband at gate 3", invoice.Description);
        var expires = await panel.Locator("time").First.GetAttributeAsync("datetime");
        Assert.Equal(invoice.ExpiresAt.ToUnixTimeSeconds(), DateTimeOffset.Parse(expires!, CultureInfo.InvariantCulture).ToUnixTimeSeconds());
        var qrFile = Path.Combine(ConsoleFixture.ArtifactDir, "topup-qr.png");
        await page.GetByTestId("topup-qr").ScreenshotAsync(new() { Path = qrFile });
        Assert.Equal("LIGHTNING:" + bolt11.ToUpperInvariant(), await ConsoleBrowserTests.DecodeQrAsync(qrFile));
        await b.AuditAsync("card-topup");

        // A wallet pays it: the page says so and shows the new balance, in the same document.
        await page.EvaluateAsync("() => { window.__sameDocument = 'yes'; }");
        using (var http = gateway.Server.RawAdminClient())
        {
            using var paid = await http.PostAsJsonAsync("/api/v1/dev/wallet/pay", new { bolt11 });
            Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
            using var again = await http.PostAsJsonAsync("/api/v1/dev/wallet/pay", new { bolt11 });
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }
        await Assertions.Expect(page.GetByTestId("topup-state")).ToHaveTextAsync("Paid — 2,500 sat added to the card.", new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByTestId("balance")).ToHaveTextAsync("3,500 sat", new() { Timeout = 15_000 });
        // The paid invoice's QR code is taken away, so nobody scans it again.
        await Assertions.Expect(page.GetByTestId("topup-used")).ToHaveTextAsync("This invoice is paid; its QR code is no longer shown.");
        await Assertions.Expect(page.GetByTestId("topup-qr")).ToHaveCountAsync(0);
        Assert.Equal("yes", await page.EvaluateAsync<string>("() => window.__sameDocument"));
        Assert.Equal(3_500_000, await gateway.BalanceMsatAsync(cardId));
        await b.AuditAsync("card-topup-paid");

        // A bad amount is refused at the form, and the page still stands.
        await page.GetByLabel("Invoice for (sat)").FillAsync("0");
        var status = await page.EvaluateAsync<int>($$"""
            async () => {
              const token = document.querySelector("input[name=__RequestVerificationToken]").value;
              return (await fetch("/console/cards/{{cardId}}?handler=Topup", {
                method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
                body: "topupSat=0&__RequestVerificationToken=" + encodeURIComponent(token) })).status;
            }
            """);
        Assert.Equal(400, status);
        Assert.Single(await TopupsAsync(cardId));
    }

    [Fact]
    public async Task A_viewer_sees_no_top_up_form_and_a_top_up_posted_anyway_is_refused()
    {
        var cardId = await NewCardAsync("Viewer top-up card", 500);
        await using var b = await gateway.SignedInAsync(ConsoleFixture.ViewerName, ConsoleFixture.ViewerPassword);
        await b.Page.GotoAsync($"/console/cards/{cardId}");
        await Assertions.Expect(b.Page.GetByTestId("balance")).ToHaveTextAsync("500 sat");
        await Assertions.Expect(b.Page.GetByRole(AriaRole.Heading, new() { Name = "Top up with Lightning" })).ToHaveCountAsync(0);
        await Assertions.Expect(b.Page.GetByRole(AriaRole.Button, new() { Name = "Make invoice" })).ToHaveCountAsync(0);
        var status = await b.Page.EvaluateAsync<int>($$"""
            async () => {
              const token = document.querySelector("input[name=__RequestVerificationToken]").value;
              return (await fetch("/console/cards/{{cardId}}?handler=Topup", {
                method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
                body: "topupSat=5000&__RequestVerificationToken=" + encodeURIComponent(token) })).status;
            }
            """);
        Assert.Equal(403, status);
        Assert.Empty(await TopupsAsync(cardId));
    }

    [Fact]
    public async Task The_overview_shows_the_liquidity_of_the_nodes_active_channels_and_warns_when_cards_hold_more()
    {
        var channels = await ChannelsAsync();
        var active = channels.Where(c => c.GetProperty("active").GetBoolean()).ToList();
        Assert.True(active.Count >= 1 && active.Count < channels.Count, "the simulated node has active and offline channels");
        var outbound = new Msat(active.Sum(c => c.GetProperty("localMsat").GetInt64()));
        var inbound = new Msat(active.Sum(c => c.GetProperty("remoteMsat").GetInt64()));

        await using var b = await gateway.SignedInAsync(ConsoleFixture.AdminName, ConsoleFixture.AdminPassword);
        var page = b.Page;
        await page.GotoAsync("/console");
        await Assertions.Expect(page.GetByTestId("outbound")).ToHaveTextAsync($"{outbound.WholeSat:N0} sat");
        await Assertions.Expect(page.GetByTestId("inbound")).ToHaveTextAsync($"{inbound.WholeSat:N0} sat");
        await Assertions.Expect(page.GetByTestId("channels")).ToHaveTextAsync($"over {active.Count} active channel(s)");
        await Assertions.Expect(page.GetByTestId("liquidity-warning")).ToHaveCountAsync(0);

        // One card holding more than the node can send: the overview says so plainly.
        var big = await NewCardAsync("Whale", outbound.WholeSat + 1);
        try
        {
            await page.GotoAsync("/console");
            var warning = page.GetByTestId("liquidity-warning");
            await Assertions.Expect(warning).ToContainTextAsync("Cards hold more than the node can send");
            await Assertions.Expect(warning).ToContainTextAsync($"{outbound.WholeSat:N0} sat outbound");
            await b.AuditAsync("overview-liquidity-warning");
        }
        finally
        {
            using var http = gateway.Server.RawAdminClient();
            (await http.PostAsJsonAsync($"/api/v1/cards/{big}/debit", new { amountSat = outbound.WholeSat + 1, reason = "test over" })).EnsureSuccessStatusCode();
        }
        await page.GotoAsync("/console");
        await Assertions.Expect(page.GetByTestId("liquidity-warning")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_card_list_pages_forward_and_back_through_a_search_on_the_shared_listing()
    {
        await using var b = await gateway.SignedInAsync(ConsoleFixture.AdminName, ConsoleFixture.AdminPassword);
        var page = b.Page;
        var prefix = "Pager " + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        await page.GotoAsync("/console/cards");
        await page.GetByText("Create a batch of cards").ClickAsync();
        await page.GetByLabel("How many (1 to 100)").FillAsync("60");
        await page.GetByLabel("Name prefix").FillAsync(prefix);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create batch" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("60 cards");

        // 25 to a page (cards made in the same millisecond are ordered by id), found by the prefix in another case.
        await page.GotoAsync("/console/cards?q=" + Uri.EscapeDataString(prefix.ToUpperInvariant()));
        var names = page.Locator("table tbody tr td:first-child");
        async Task<List<string>> Shown(int count)
        {
            await Assertions.Expect(names).ToHaveCountAsync(count);
            return [.. (await names.AllInnerTextsAsync()).Select(n => n.Trim())];
        }
        var first = await Shown(25);
        await page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        await Assertions.Expect(page.Locator("nav.pager")).ToContainTextAsync("Page 2");
        var second = await Shown(25);
        await page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        var third = await Shown(10);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Next page" })).ToHaveCountAsync(0);
        Assert.Equal(Enumerable.Range(1, 60).Select(i => $"{prefix} {i:000}").Order(), first.Concat(second).Concat(third).Order());
        await page.GetByRole(AriaRole.Link, new() { Name = "Previous page" }).ClickAsync();
        Assert.Equal(second, await Shown(25));
        await page.GetByRole(AriaRole.Link, new() { Name = "Previous page" }).ClickAsync();
        Assert.Equal(first, await Shown(25));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Previous page" })).ToHaveCountAsync(0);

        // The status filter: none of them is disabled.
        await page.GetByLabel("Show").SelectOptionAsync("disabled");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await Assertions.Expect(page.Locator("table caption")).ToContainTextAsync("No card");
        await b.AuditAsync("cards-none");
    }

    private async Task<List<JsonElement>> ChannelsAsync()
    {
        using var http = gateway.Server.RawAdminClient();
        return (await http.GetFromJsonAsync<List<JsonElement>>("/api/v1/dev/channels"))!;
    }

    private async Task<List<JsonElement>> TopupsAsync(string cardId)
    {
        using var http = gateway.Server.RawAdminClient();
        return (await http.GetFromJsonAsync<List<JsonElement>>($"/api/v1/cards/{cardId}/topups"))!;
    }

    private async Task<string> NewCardAsync(string name, long sat)
    {
        using var http = gateway.Server.RawAdminClient();
        var uid = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(7));
        using var created = await http.PostAsJsonAsync("/api/v1/cards", new { name, uid });
        created.EnsureSuccessStatusCode();
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        using var credit = await http.PostAsJsonAsync($"/api/v1/cards/{id}/credit", new { amountSat = sat, reason = "test" });
        credit.EnsureSuccessStatusCode();
        return id;
    }
}
