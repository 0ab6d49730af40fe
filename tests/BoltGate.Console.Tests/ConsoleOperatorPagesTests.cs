using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace BoltGate.Console.Tests;

/// <summary>
/// The administrator's pages for what the gateway tells and lets other programs do: webhooks (an endpoint
/// added with its secret shown once, its delivery log watched live, a redelivery, deleting it) against a real
/// receiver on 127.0.0.1 that checks the signature with the Standard Webhooks reference library, and API keys
/// (created with a scope, used against the API, revoked). Operators and viewers cannot open either page.
/// </summary>
[Trait(Category.Name, Category.Process)]
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleOperatorPagesTests(ConsoleFixture gateway)
{
    [Fact]
    public async Task An_admin_adds_a_webhook_watches_a_credit_arrive_signed_redelivers_it_and_deletes_the_webhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var cardId = await NewCardAsync("Webhook card");
        await using var b = await gateway.SignedInAsync(ConsoleFixture.AdminName, ConsoleFixture.AdminPassword);
        var page = b.Page;

        // Add the webhook for card.credited only; the secret is on this answer.
        await page.GetByRole(AriaRole.Link, new() { Name = "Webhooks", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Webhooks", Exact = true })).ToBeVisibleAsync();
        await page.GetByLabel("Receiver URL (http or https)").FillAsync(receiver.Url);
        await page.GetByLabel("card.credited").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        var created = page.GetByTestId("webhook-created");
        await Assertions.Expect(created).ToContainTextAsync("It is shown only this once");
        var secret = (await page.GetByTestId("webhook-secret").InnerTextAsync()).Trim();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        var row = page.Locator("table tbody tr").Filter(new() { HasText = receiver.Url });
        await Assertions.Expect(row).ToContainTextAsync("card.credited");
        await b.AuditAsync("webhooks");

        // Shown once: the list on its own does not carry it.
        await page.GotoAsync("/console/webhooks");
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

        // The delivery log, open while the card is credited in another tab: the delivery appears without a reload.
        await page.GetByRole(AriaRole.Link, new() { Name = "Deliveries to " + receiver.Url }).ClickAsync();
        await Assertions.Expect(page.GetByText("Nothing has been sent here yet")).ToBeVisibleAsync();
        var webhookId = page.Url.Split('/')[^1];
        await page.EvaluateAsync("() => { window.__sameDocument = 'yes'; }");
        var other = await b.Context.NewPageAsync();
        await other.GotoAsync($"/console/cards/{cardId}");
        await other.GetByLabel("Amount in sat").FillAsync("2500");
        await other.GetByLabel("Reason").FillAsync("webhook test");
        await other.GetByRole(AriaRole.Button, new() { Name = "Credit", Exact = true }).ClickAsync();
        await Assertions.Expect(other.GetByRole(AriaRole.Status)).ToContainTextAsync("Credited 2,500 sat");
        await other.CloseAsync();

        var delivery = page.GetByTestId("deliveries").Locator("tbody tr").First;
        await Assertions.Expect(delivery).ToContainTextAsync("card.credited", new() { Timeout = 15_000 });
        await Assertions.Expect(delivery.Locator("td.state")).ToHaveTextAsync("delivered", new() { Timeout = 15_000 });
        await Assertions.Expect(delivery.GetByTestId("attempts")).ToHaveTextAsync("1");
        await Assertions.Expect(delivery).ToContainTextAsync("HTTP 200");
        Assert.Equal("yes", await page.EvaluateAsync<string>("() => window.__sameDocument"));

        // The receiver got one request, signed with the secret the page showed (the reference library verifies it).
        var first = (await receiver.WaitAsync(r => r.Count >= 1, TimeSpan.FromSeconds(15)))[0];
        new StandardWebhook(secret).Verify(first.Body, first.Headers);
        Assert.Throws<WebhookVerificationException>(() =>
            new StandardWebhook("whsec_" + Convert.ToBase64String(new byte[32])).Verify(first.Body, first.Headers));
        var body = JsonDocument.Parse(first.Body).RootElement;
        Assert.Equal("card.credited", body.GetProperty("type").GetString());
        Assert.Equal(cardId, body.GetProperty("data").GetProperty("card_id").GetString());
        Assert.Equal(2_500_000, body.GetProperty("data").GetProperty("amount_msat").GetInt64());
        await Assertions.Expect(delivery).ToContainTextAsync(first.Headers["webhook-id"].ToString());

        // Redeliver: a second attempt of the same message, signed again, and the log counts it.
        await delivery.GetByRole(AriaRole.Button, new() { Name = "Redeliver card.credited event" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("will be sent again in a moment");
        var both = await receiver.WaitAsync(r => r.Count >= 2, TimeSpan.FromSeconds(15));
        new StandardWebhook(secret).Verify(both[1].Body, both[1].Headers);
        Assert.Equal(first.Headers["webhook-id"].ToString(), both[1].Headers["webhook-id"].ToString());
        await Assertions.Expect(delivery.GetByTestId("attempts")).ToHaveTextAsync("2", new() { Timeout = 15_000 });
        await Assertions.Expect(delivery.Locator("td.state")).ToHaveTextAsync("delivered");
        await b.AuditAsync("webhook");

        // Delete, after the confirm step.
        await page.GetByText("Delete this webhook…").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, delete the webhook" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Webhook to {receiver.Url} deleted");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Webhooks", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table tbody")).Not.ToContainTextAsync(receiver.Url);
        using var admin = gateway.Server.RawAdminClient();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/webhooks/{webhookId}")).StatusCode);
    }

    [Fact]
    public async Task A_webhook_to_a_bad_url_or_without_events_is_refused_with_the_reason_and_the_form_keeps_its_values()
    {
        await using var b = await gateway.SignedInAsync(ConsoleFixture.AdminName, ConsoleFixture.AdminPassword);
        var page = b.Page;
        await page.GotoAsync("/console/webhooks");
        await page.GetByLabel("Receiver URL (http or https)").FillAsync("https://shop.example/hook");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("events must name at least one of");
        await Assertions.Expect(page.GetByLabel("Receiver URL (http or https)")).ToHaveValueAsync("https://shop.example/hook");
        await Assertions.Expect(page.GetByTestId("webhook-created")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_admin_creates_a_read_only_key_that_reads_cards_cannot_write_and_stops_working_once_revoked()
    {
        await using var b = await gateway.SignedInAsync(ConsoleFixture.AdminName, ConsoleFixture.AdminPassword);
        var page = b.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "API keys", Exact = true }).ClickAsync();
        var name = "Shop reader " + Guid.NewGuid().ToString("N")[..6];
        await page.GetByLabel("Name (who uses it)").FillAsync(name);
        await page.GetByLabel("cards:read").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("key-created")).ToContainTextAsync("It is shown only this once");
        var token = (await page.GetByTestId("api-key").InnerTextAsync()).Trim();
        var row = page.Locator("table tbody tr").Filter(new() { HasText = name });
        await Assertions.Expect(row).ToContainTextAsync("cards:read");
        await Assertions.Expect(row).ToContainTextAsync("never");
        await Assertions.Expect(row).ToContainTextAsync("active");

        using var api = new HttpClient { BaseAddress = new Uri(gateway.Server.Url) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/cards")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync("/api/v1/cards", JsonContent.Create(new { name = "not allowed" }))).StatusCode);

        // Listed again: used now, and the key itself is not on the page any more.
        await page.GotoAsync("/console/keys");
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(row).Not.ToContainTextAsync("never");
        await b.AuditAsync("keys");

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke " + name }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Key “{name}” revoked");
        await Assertions.Expect(row).ToContainTextAsync("revoked");
        await Assertions.Expect(row.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/cards")).StatusCode);
    }

    [Theory]
    [InlineData(ConsoleFixture.OperatorName, ConsoleFixture.OperatorPassword)]
    [InlineData(ConsoleFixture.ViewerName, ConsoleFixture.ViewerPassword)]
    public async Task Operators_and_viewers_neither_see_nor_open_the_webhook_and_key_pages(string name, string password)
    {
        await using var b = await gateway.SignedInAsync(name, password);
        await Assertions.Expect(b.Page.GetByRole(AriaRole.Link, new() { Name = "Cards", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(b.Page.GetByRole(AriaRole.Link, new() { Name = "Webhooks" })).ToHaveCountAsync(0);
        await Assertions.Expect(b.Page.GetByRole(AriaRole.Link, new() { Name = "API keys" })).ToHaveCountAsync(0);
        foreach (var path in new[] { "/console/webhooks", "/console/webhooks/any-id", "/console/keys" })
        {
            var answer = await b.Page.GotoAsync(path);
            Assert.Equal(403, answer!.Status);
            Assert.Contains("Your role may not open this page.", await b.Page.ContentAsync(), StringComparison.Ordinal);
        }

        // Posting the key form anyway, with a valid token of this session, is forbidden and makes no key.
        await b.Page.GotoAsync("/console");
        var keyName = "sneaky-" + name;
        var status = await b.Page.EvaluateAsync<int>($$"""
            async () => {
              const token = document.querySelector("input[name=__RequestVerificationToken]").value;
              return (await fetch("/console/keys?handler=Create", {
                method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
                body: "name={{keyName}}&scopes=admin&__RequestVerificationToken=" + encodeURIComponent(token), redirect: "manual" })).status;
            }
            """);
        Assert.Equal(403, status);
        Assert.DoesNotContain(keyName, await ListKeyNamesAsync());
    }

    [Fact]
    public async Task The_key_and_webhook_forms_refuse_a_post_without_its_antiforgery_token()
    {
        await using var b = await gateway.SignedInAsync(ConsoleFixture.AdminName, ConsoleFixture.AdminPassword);
        await b.Page.GotoAsync("/console/keys");
        var keyName = "till-" + Guid.NewGuid().ToString("N")[..6];
        var statuses = await b.Page.EvaluateAsync<int[]>($$"""
            async () => {
              const post = async (url, body) => (await fetch(url, { method: "POST",
                headers: { "Content-Type": "application/x-www-form-urlencoded" }, body, redirect: "manual" })).status;
              return [await post("/console/keys?handler=Create", "name={{keyName}}&scopes=admin"),
                      await post("/console/webhooks?handler=Add", "url=https%3A%2F%2Fforged.example%2Fhook&events=card.created")];
            }
            """);
        Assert.Equal(new[] { 400, 400 }, statuses);
        Assert.DoesNotContain(keyName, await ListKeyNamesAsync());
        using var admin = gateway.Server.RawAdminClient();
        var hooks = await admin.GetFromJsonAsync<JsonElement>("/api/v1/webhooks");
        Assert.DoesNotContain(hooks.EnumerateArray(), h => h.GetProperty("url").GetString() == "https://forged.example/hook");

        // The same form with the page's token goes through: the refusal was the missing token.
        var withToken = await b.Page.EvaluateAsync<string>($$"""
            async () => {
              const token = document.querySelector("input[name=__RequestVerificationToken]").value;
              return (await fetch("/console/keys?handler=Create", {
                method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
                body: "name={{keyName}}&scopes=cards:read&__RequestVerificationToken=" + encodeURIComponent(token) })).status + "";
            }
            """);
        Assert.Equal("200", withToken);
        Assert.Contains(keyName, await ListKeyNamesAsync());
    }

    private async Task<List<string?>> ListKeyNamesAsync()
    {
        using var admin = gateway.Server.RawAdminClient();
        var keys = await admin.GetFromJsonAsync<JsonElement>("/api/v1/keys");
        return keys.EnumerateArray().Select(k => k.GetProperty("name").GetString()).ToList();
    }

    private async Task<string> NewCardAsync(string name)
    {
        using var http = gateway.Server.RawAdminClient();
        var uid = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(7));
        var created = await http.PostAsync("/api/v1/cards", JsonContent.Create(new { name, uid }));
        created.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }
}
