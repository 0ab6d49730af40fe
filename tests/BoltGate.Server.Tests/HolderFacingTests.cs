using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Lnurl;
using BoltGate.Core.Money;
using BoltGate.Storage;

namespace BoltGate.Server.Tests;

/// <summary>
/// What wallets, POS apps, programmers and newcomers see at the HTTP surface (issue 17): refusals a
/// LUD-03 client can show (200 + ERROR body by default, the 4xx behind Lnurl:ErrorStatus=http4xx),
/// readable reasons, pinLimit only where it matters, UID privacy by default, no card programmed with an
/// address phones cannot reach, and the simulated-mode developer routes.
/// </summary>
[Trait(Category.Name, Category.Contract)]
public sealed class HolderFacingTests
{
    /// <summary>The gateway as shipped (Lnurl:ErrorStatus at its default, ok) unless a setting says otherwise.</summary>
    private static Task<GatewayHost> StartAsync(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings.TryAdd("Lnurl:ErrorStatus", "ok");
        return GatewayHost.StartAsync(StorageProvider.Sqlite, settings);
    }

    [Fact]
    public async Task By_default_a_refusal_is_http_200_with_the_error_body_and_its_code()
    {
        await using var host = await StartAsync();
        var card = await host.CreateCardAsync(10_000, perTapSat: 100);
        var k1 = await host.OfferAsync(card, 1);

        var (status, body) = await host.CallbackAsync(k1, host.Invoice(500));
        Assert.Equal(200, status);
        Assert.Equal("ERROR", body.GetProperty("status").GetString());
        Assert.Equal("LIMIT_TX", body.GetProperty("code").GetString());

        using var http = host.CreateClient();
        var raw = await http.GetStringAsync($"/ln/callback?k1={k1}&pr={host.Invoice(500)}");
        // Readable for curl users and wallets that print the reason: no \u0027 for the apostrophe.
        Assert.Contains("this card's per-payment limit", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", raw, StringComparison.Ordinal);

        var (tapStatus, tapBody) = await host.TapAsync(card, 1);
        Assert.Equal(200, tapStatus); // the same tap again is fine while its k1 is unused
        Assert.Equal(k1, tapBody.GetProperty("k1").GetString());
        Assert.Equal(200, (await host.GetAsync("/ln?p=00&c=00")).Status);
        Assert.Equal("BAD_REQUEST", (await host.GetAsync("/ln?p=00&c=00")).Body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Http4xx_keeps_the_catalog_status_with_the_same_body()
    {
        await using var host = await StartAsync(new() { ["Lnurl:ErrorStatus"] = "http4xx" });
        var card = await host.CreateCardAsync(10_000, perTapSat: 100);
        var (status, body) = await host.CallbackAsync(await host.OfferAsync(card, 1), host.Invoice(500));
        Assert.Equal(403, status);
        Assert.Equal("LIMIT_TX", body.GetProperty("code").GetString());
        Assert.Equal("The amount is above this card's per-payment limit.", body.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("ok", true)]
    [InlineData("http4xx", true)]
    [InlineData("HTTP4XX", true)]
    [InlineData("teapot", false)]
    [InlineData("", false)]
    public void The_error_status_setting_is_checked_at_start(string value, bool valid)
    {
        var options = new Configuration.GatewayOptions();
        options.Lnurl.ErrorStatus = value;
        var result = new Configuration.GatewayOptionsValidator().Validate(null, options);
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
            Assert.Contains(result.Failures!, f => f.StartsWith("Lnurl:ErrorStatus must be 'ok'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PinLimit_is_sent_only_for_a_pin_card_whose_offer_reaches_it()
    {
        await using var host = await StartAsync();
        var card = await host.CreateCardAsync(10_000);
        using var admin = host.RawAdmin();
        var (_, noPin) = await host.TapAsync(card, 1);
        Assert.False(noPin.TryGetProperty("pinLimit", out _), noPin.ToString());

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/cards/{card.Id}/pin", new { pin = "1234", pinLimitSat = 50_000 })).StatusCode);
        var (_, aboveBalance) = await host.TapAsync(card, 2);
        Assert.False(aboveBalance.TryGetProperty("pinLimit", out _), "no amount on offer needs the PIN: " + aboveBalance);

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/cards/{card.Id}/pin", new { pin = "1234", pinLimitSat = 2_000 })).StatusCode);
        var (_, reached) = await host.TapAsync(card, 3);
        Assert.Equal(2_000_000, reached.GetProperty("pinLimit").GetInt64());
    }

    [Fact]
    public async Task Programming_links_ask_for_a_random_uid_unless_told_not_to()
    {
        await using var host = await StartAsync();
        using var admin = host.RawAdmin();
        using var app = host.CreateClient();
        async Task<string?> PrivacyOf(object body)
        {
            using var response = await admin.PostAsJsonAsync("/api/v1/programming-links", body);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var link = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.StartsWith("<svg", link.GetProperty("createQrSvg").GetString(), StringComparison.Ordinal);
            var created = await app.GetFromJsonAsync<JsonElement>(link.GetProperty("createUrl").GetString());
            return created.GetProperty("uid_privacy").GetString();
        }
        Assert.Equal("Y", await PrivacyOf(new { name = "default" }));
        Assert.Equal("N", await PrivacyOf(new { name = "static uid", uidPrivacy = false }));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://pay.example.test")]
    public async Task No_card_is_programmed_without_an_https_public_url(string? publicUrl)
    {
        await using var host = await StartAsync(new() { ["Gateway:PublicUrl"] = publicUrl ?? "" });
        using var admin = host.RawAdmin();
        using var response = await admin.PostAsJsonAsync("/api/v1/programming-links", new { name = "x" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("PUBLIC_URL_REQUIRED", error.GetProperty("code").GetString());
        Assert.Contains("Gateway:PublicUrl", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        // A link made before (or by another instance) cannot program either.
        var (status, body) = await host.GetAsync("/programming/create?code=anything");
        Assert.Equal(200, status);
        Assert.Equal("PUBLIC_URL_REQUIRED", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_dev_escape_programs_a_card_with_the_requests_address()
    {
        await using var host = await StartAsync(new() { ["Gateway:PublicUrl"] = "", ["Gateway:AllowInsecurePublicUrl"] = "true" });
        using var admin = host.RawAdmin();
        using var response = await admin.PostAsJsonAsync("/api/v1/programming-links", new { name = "local" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var link = await response.Content.ReadFromJsonAsync<JsonElement>();
        using var app = host.CreateClient();
        var created = await app.GetFromJsonAsync<JsonElement>(link.GetProperty("createUrl").GetString());
        Assert.Equal("lnurlw://localhost/ln", created.GetProperty("lnurlw_base").GetString());
    }

    [Fact]
    public async Task The_dev_routes_make_a_tap_and_an_invoice_that_the_gateway_pays()
    {
        await using var host = await StartAsync();
        var card = await host.CreateCardAsync(10_000);
        using var admin = host.RawAdmin();
        using var anonymous = host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/v1/dev/cards/{card.Id}/tap", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/v1/dev/cards/nope/tap", null)).StatusCode);

        var tap = await (await admin.PostAsync($"/api/v1/dev/cards/{card.Id}/tap", null)).Content.ReadFromJsonAsync<JsonElement>();
        var url = tap.GetProperty("url").GetString()!;
        Assert.StartsWith("https://pay.example.test/ln?p=", url, StringComparison.Ordinal);
        Assert.Equal(1, tap.GetProperty("counter").GetInt64());
        var lnurl = tap.GetProperty("lnurl").GetString()!;
        Assert.Equal(url, Assert.IsType<LnurlDecodeResult.Ok>(LnurlCodec.Decode(lnurl)).Url);
        Assert.StartsWith("<svg", tap.GetProperty("qrSvg").GetString(), StringComparison.Ordinal);

        var (status, offer) = await host.GetAsync(url["https://pay.example.test".Length..]);
        Assert.Equal(200, status);
        host.CatchUpWithRealTime();
        using var made = await admin.PostAsJsonAsync("/api/v1/dev/invoices", new { amountSat = 1_000 });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var bolt11 = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bolt11").GetString()!;
        var decoded = Assert.IsType<Bolt11DecodeResult.Ok>(Bolt11Decoder.Decode(bolt11)).Invoice;
        Assert.Equal(Msat.FromSat(1_000), decoded.Amount);
        Assert.Equal(Core.Bitcoin.BitcoinNetwork.Regtest, decoded.Network);

        var (paidStatus, paid) = await host.CallbackAsync(offer.GetProperty("k1").GetString()!, bolt11);
        Assert.Equal(200, paidStatus);
        Assert.Equal("OK", paid.GetProperty("status").GetString());
        Assert.Equal(9_000_000, await host.BalanceMsatAsync(card.Id));

        // The next dev tap takes the next counter.
        var next = await (await admin.PostAsync($"/api/v1/dev/cards/{card.Id}/tap", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, next.GetProperty("counter").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/v1/dev/invoices", new { amountSat = 0 })).StatusCode);
    }

    [Fact]
    public async Task A_gateway_on_a_real_node_has_no_dev_routes()
    {
        await using var host = await StartAsync(new()
        {
            ["Lnurl:ErrorStatus"] = "ok",
            ["Lightning:ConnectionString"] = "type=lnd-rest;server=https://127.0.0.1:1/;macaroon=00;certthumbprint=" + new string('a', 64),
        });
        using var admin = host.RawAdmin();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/v1/dev/invoices", new { amountSat = 1 })).StatusCode);
    }

    [Fact]
    public async Task BalanceCheck_lets_a_wallet_see_what_the_card_can_pay_but_never_pay_without_a_tap()
    {
        await using var off = await StartAsync();
        var plain = await off.CreateCardAsync(10_000);
        Assert.False((await off.TapAsync(plain, 1)).Body.TryGetProperty("balanceCheck", out _), "balanceCheck is opt-in");

        await using var host = await StartAsync(new() { ["Lnurl:BalanceCheck"] = "true" });
        var card = await host.CreateCardAsync(10_000);
        var (_, offer) = await host.TapAsync(card, 1);
        var link = offer.GetProperty("balanceCheck").GetString()!;
        Assert.StartsWith("https://pay.example.test/ln/balance?card=" + card.Id + "&t=", link, StringComparison.Ordinal);
        var path = link["https://pay.example.test".Length..];
        var (status, before) = await host.GetAsync(path);
        Assert.Equal(200, status);
        Assert.Equal("withdrawRequest", before.GetProperty("tag").GetString());
        Assert.Equal(offer.GetProperty("maxWithdrawable").GetInt64(), before.GetProperty("maxWithdrawable").GetInt64());
        Assert.Equal(link, before.GetProperty("balanceCheck").GetString());

        Assert.Equal("OK", (await host.CallbackAsync(offer.GetProperty("k1").GetString()!, host.Invoice(2_000))).Body.GetProperty("status").GetString());
        var (_, after) = await host.GetAsync(path);
        Assert.True(after.GetProperty("maxWithdrawable").GetInt64() < before.GetProperty("maxWithdrawable").GetInt64() - 1_900_000, after.ToString());

        // Its k1 is no offer: paying still takes a tap.
        var (_, refused) = await host.CallbackAsync(after.GetProperty("k1").GetString()!, host.Invoice(100));
        Assert.Equal("K1_UNKNOWN", refused.GetProperty("code").GetString());
        Assert.Equal(8_000_000 - 1_000, await host.BalanceMsatAsync(card.Id));

        var tampered = path[..^1] + (path[^1] == '0' ? '1' : '0');
        Assert.Equal("CARD_NOT_FOUND", (await host.GetAsync(tampered)).Body.GetProperty("code").GetString());
        Assert.Equal("CARD_NOT_FOUND", (await off.GetAsync(path)).Body.GetProperty("code").GetString());
    }
}
