using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BoltGate.Client;
using BoltGate.Core.Crypto;
using BoltGate.Core.Sun;
using BoltGate.Storage;
using Microsoft.AspNetCore.Hosting;

namespace BoltGate.Server.Tests;

/// <summary>
/// Issue 16's low-severity defects, each as a caller meets it: a credit that would overflow, a caller without a key and
/// the wrong Content-Type, bodies that are too large or unreadable, key answers that could be cached, an unknown card's
/// tap among many random-key cards, over-long names, and the database files' mode.
/// </summary>
[Trait(Category.Name, Category.Contract)]
public sealed class HardeningTests : GatewaySuite
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    [Theory]
    [InlineData("a[b")]
    [InlineData("[")]
    [InlineData("x]y[")]
    [InlineData("name[]][")]
    public async Task A_console_form_or_query_whose_key_has_an_unbalanced_bracket_is_refused_not_a_500(string key)
    {
        // Found by the fuzzer: MVC's jQuery-style key readers threw on these keys before the page ran.
        using var http = Host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var form = new FormUrlEncodedContent([new(key, "1"), new("name", "ada"), new("password", "x")]);
        using var posted = await http.PostAsync("/console/login", form);
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode); // no antiforgery token: refused as any forged form
        using var queried = await http.GetAsync("/console/login?" + Uri.EscapeDataString(key) + "=1");
        Assert.Equal(HttpStatusCode.OK, queried.StatusCode);
        // A GET or HEAD carrying a form body (as a client following a redirect sends it) is bound without antiforgery.
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            using var request = new HttpRequestMessage(method, "/console/login")
            {
                Content = new FormUrlEncodedContent([new(key, "1")]),
            };
            using var answer = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
    }

    [Fact]
    public async Task A_credit_that_would_take_the_balance_above_21_million_btc_is_409_and_changes_nothing()
    {
        var card = await Host.CreateCardAsync(balanceSat: 0);
        using var http = Host.RawAdmin();
        const long max = 2_100_000_000_000_000;
        using var first = await http.PostAsJsonAsync($"/api/v1/cards/{card.Id}/credit", new { amountSat = max });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        for (var i = 0; i < 5; i++)
        {
            using var more = await http.PostAsJsonAsync($"/api/v1/cards/{card.Id}/credit", new { amountSat = max });
            Assert.Equal(HttpStatusCode.Conflict, more.StatusCode);
            Assert.Equal("BALANCE_TOO_HIGH", (await more.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }
        Assert.Equal(max * 1000, await Host.BalanceMsatAsync(card.Id));
        Assert.Empty(await Host.LedgerMismatchesAsync());
    }

    [Fact]
    public async Task Without_a_key_the_wrong_content_type_is_401_and_unknown_urls_stay_404()
    {
        using var anonymous = Host.CreateClient();
        using var wrongType = await anonymous.PostAsync("/api/v1/cards", new StringContent("{\"name\":\"x\"}", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongType.StatusCode);
        using var unknown = await anonymous.PostAsync("/api/v1/no-such-route", new StringContent("{}", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using var admin = Host.RawAdmin();
        using var keyed = await admin.PostAsync("/api/v1/cards", new StringContent("{\"name\":\"x\"}", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, keyed.StatusCode);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", (await keyed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_admin_body_above_16_kb_is_413_with_the_admin_error_and_nothing_is_created()
    {
        using var admin = Host.RawAdmin();
        var body = "{\"name\":\"" + new string('x', 17 * 1024) + "\"}";
        using var response = await admin.PostAsync("/api/v1/cards", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("BODY_TOO_LARGE", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Answers_carrying_card_keys_or_balances_are_never_cached_and_carry_the_security_headers()
    {
        using var admin = Host.RawAdmin();
        using var created = await admin.PostAsJsonAsync("/api/v1/cards", new { name = "keys", uid = "04aabbccddeeff" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains("\"k2\"", await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using var wipe = await admin.GetAsync($"/api/v1/cards/{id}/wipe");
        using var card = await admin.GetAsync($"/api/v1/cards/{id}");
        using var tap = await Host.CreateClient().GetAsync("/ln?p=00&c=00");
        foreach (var response in new[] { created, wipe, card, tap })
        {
            Assert.True(response.Headers.CacheControl?.NoStore, response.RequestMessage?.RequestUri + " is cacheable");
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.False(response.Headers.Contains("Server"));
        }
        // Gateway:PublicUrl is https here: the gateway is behind TLS, so browsers are told to stay on it.
        Assert.StartsWith("max-age=", card.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Theory]
    [InlineData("/programming/program", "{\"uid\": ", "application/json")]
    [InlineData("/programming/program", "{\"uid\":\"04aabbccddeeff\"}", "text/plain")]
    [InlineData("/programming/reset", "[1,2,3]", "application/json")]
    public async Task The_programming_apps_routes_answer_a_bad_body_with_the_lnurl_error_form(string path, string body, string type)
    {
        using var client = Production().CreateClient();
        using var response = await client.PostAsync(path + "?code=abc", new StringContent(body, Encoding.UTF8, type));
        var text = await response.Content.ReadAsStringAsync();
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal("ERROR", json.GetProperty("status").GetString());
        Assert.Equal("BAD_REQUEST", json.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task A_credit_with_an_unreadable_body_answers_the_admin_error_form()
    {
        var card = await Host.CreateCardAsync(balanceSat: 0);
        using var admin = Production().CreateClient();
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayHost.AdminKey);
        using var response = await admin.PostAsync($"/api/v1/cards/{card.Id}/credit",
            new StringContent("{\"amountSat\": \"lots\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("BAD_REQUEST", json.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("message").GetString()));
    }

    /// <summary>The gateway as operators run it: in Development the framework would throw on a bad body anyway.</summary>
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> Production() =>
        Host.WithWebHostBuilder(b => b.UseEnvironment("Production"));

    [Fact]
    public async Task An_unknown_cards_tap_is_card_not_found_even_when_its_p_decrypts_under_a_random_key_cards_k1()
    {
        using var admin = Host.Admin();
        var random = await admin.CreateCardAsync(new CreateCardRequest("random keys", null), default);
        var k1 = Hex.Decode(random.Keys.K1);
        // A stranger's tap (its own keys and UID) whose p happens to decrypt under this card's K1 to the right tag
        // byte: one in 256 do, for each K1 the gateway holds.
        string p, c;
        while (true)
        {
            var uid = CardUid.Parse("04" + Hex.Lower(RandomNumberGenerator.GetBytes(6)));
            (p, c) = SunGenerator.Create(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16), uid, 1);
            if (SunTap.TryParse(p, c, out var tap) && SunVerifier.TryDecryptPicc(k1, tap, out _, out _))
                break;
        }
        var (_, body) = await Host.GetAsync($"/ln?p={p}&c={c}");
        Assert.Equal("CARD_NOT_FOUND", body.GetProperty("code").GetString());

        // A known card whose signature is forged is still TAP_INVALID.
        var known = await Host.CreateCardAsync(balanceSat: 10);
        var (kp, kc) = known.Tap(1);
        var (_, forged) = await Host.GetAsync($"/ln?p={kp}&c={(kc[0] == '0' ? '1' : '0')}{kc[1..]}");
        Assert.Equal("TAP_INVALID", forged.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_card_name_above_100_characters_is_a_clear_400()
    {
        using var admin = Host.RawAdmin();
        using var created = await admin.PostAsJsonAsync("/api/v1/cards", new { name = new string('n', 101) });
        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Contains("100 characters", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString());
        using var link = await admin.PostAsJsonAsync("/api/v1/programming-links", new { name = new string('n', 101) });
        Assert.Equal(HttpStatusCode.BadRequest, link.StatusCode);
        using var fine = await admin.PostAsJsonAsync("/api/v1/cards", new { name = new string('n', 100) });
        Assert.Equal(HttpStatusCode.Created, fine.StatusCode);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_sqlite_database_and_its_wal_and_shm_files_are_readable_by_their_owner_only()
    {
        await Host.CreateCardAsync(balanceSat: 5); // a write: the -wal and -shm files exist
        var db = ((Testing.Databases.SqliteTestDatabase)Host.Database).FilePath;
        foreach (var file in new[] { db, db + "-wal", db + "-shm" })
        {
            Assert.True(File.Exists(file), file);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }
}

/// <summary>Item 5's limits, lowered so a test reaches them: each answers in the route's own error form with Retry-After.</summary>
[Trait(Category.Name, Category.Contract)]
public sealed class RateLimitTests : GatewaySuite
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override Dictionary<string, string?>? Settings => new()
    {
        ["RateLimits:FailedTapsPerAddress"] = "5",
        ["RateLimits:FailedTapsPerCard"] = "3",
        ["RateLimits:PinFailuresPerAddress"] = "100",
        ["RateLimits:PinFailuresPerCard"] = "2",
        ["RateLimits:AuthFailuresPerAddress"] = "4",
        ["RateLimits:FailedCallbacksPerAddress"] = "100",
        ["Limits:MaxPinTries"] = "10",
    };

    [Fact]
    public async Task Bad_taps_from_one_address_are_refused_rate_limited_with_retry_after_then_even_good_taps_wait()
    {
        var card = await Host.CreateCardAsync(balanceSat: 100);
        using var client = Host.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            var (status, body) = await Host.GetAsync($"/ln?p={new string('0', 32)}&c={new string('0', 16)}");
            Assert.Equal("CARD_NOT_FOUND", body.GetProperty("code").GetString());
            Assert.Equal(404, status);
        }
        var (p, c) = card.Tap(1);
        using var limited = await client.GetAsync($"/ln?p={p}&c={c}");
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var json = await limited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ERROR", json.GetProperty("status").GetString());
        Assert.Equal("RATE_LIMITED", json.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Replays_of_one_card_block_that_cards_taps_for_the_window()
    {
        var card = await Host.CreateCardAsync(balanceSat: 100);
        Assert.NotNull(await Host.OfferAsync(card, 5));
        var (p, c) = card.Tap(5);
        await Host.CallbackAsync(await Host.OfferAsync(card, 6), Host.Invoice(1)); // counter 6 used: 5 is now a replay
        for (var i = 0; i < 3; i++)
            Assert.Equal("REPLAY", (await Host.GetAsync($"/ln?p={p}&c={c}")).Body.GetProperty("code").GetString());
        var (status, body) = await Host.TapAsync(card, 7);
        Assert.Equal(429, status);
        Assert.Equal("RATE_LIMITED", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Wrong_pins_on_one_card_are_rate_limited_before_the_pin_is_even_checked()
    {
        var card = await Host.CreateCardAsync(balanceSat: 1_000);
        using (var admin = Host.Admin())
            await admin.SetPinAsync(card.Id, "1234", 0, default);
        var k1 = await Host.OfferAsync(card, 1);
        var invoice = Host.Invoice(10);
        for (var i = 0; i < 2; i++)
            Assert.Equal("PIN_WRONG", (await Host.CallbackAsync(k1, invoice, "0000")).Body.GetProperty("code").GetString());
        var (status, body) = await Host.CallbackAsync(k1, invoice, "1234");
        Assert.Equal(429, status);
        Assert.Equal("RATE_LIMITED", body.GetProperty("code").GetString());
        Assert.Equal(1_000_000, await Host.BalanceMsatAsync(card.Id));
    }

    [Fact]
    public async Task Unknown_api_keys_from_one_address_get_429_problem_details_then_even_the_right_key_waits()
    {
        using var anonymous = Host.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cards/abc");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer wrong-" + i);
            using var response = await anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using var right = Host.RawAdmin();
        using var limited = await right.GetAsync("/api/v1/cards/abc");
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("RATE_LIMITED", (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
