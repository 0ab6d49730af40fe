using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BoltGate.Client;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Lightning.Simulated;
using BoltGate.Storage;

namespace BoltGate.Server.Tests;

/// <summary>
/// The whole tap → callback → paid flow in-process, with taps made by the SUN generator and invoices
/// from the simulated network. Every test runs on SQLite and on PostgreSQL (the subclasses).
/// </summary>
public abstract class GatewayFlowTests : GatewaySuite
{
    [Fact]
    public async Task A_tap_offers_a_withdrawal_and_the_callback_pays_it()
    {
        var card = await Host.CreateCardAsync(balanceSat: 10_000, perTapSat: 5_000);
        var (status, offer) = await Host.TapAsync(card, 1);

        Assert.Equal(200, status);
        Assert.Equal("withdrawRequest", offer.GetProperty("tag").GetString());
        Assert.Equal("https://pay.example.test/ln/callback", offer.GetProperty("callback").GetString());
        Assert.Matches("^[0-9a-f]{32}$", offer.GetProperty("k1").GetString());
        Assert.Equal(1_000, offer.GetProperty("minWithdrawable").GetInt64());
        Assert.Equal(5_000_000, offer.GetProperty("maxWithdrawable").GetInt64());
        Assert.False(offer.TryGetProperty("pinLimit", out _));

        var (cbStatus, cb) = await Host.CallbackAsync(offer.GetProperty("k1").GetString()!, Host.Invoice(2_000));
        Assert.Equal(200, cbStatus);
        Assert.Equal("OK", cb.GetProperty("status").GetString());

        // The simulated payee charged 1 sat of fee; the rest of the fee reserve came back.
        Assert.Equal(10_000_000 - 2_000_000 - 1_000, await Host.BalanceMsatAsync(card.Id));
        using var admin = Host.Admin();
        var w = Assert.Single(await admin.ListWithdrawalsAsync(card.Id, default));
        Assert.Equal("Succeeded", w.State);
        Assert.Equal(2_000_000, w.AmountMsat);
        Assert.Equal(1_000, w.FeeMsat);
        var byId = await admin.GetWithdrawalAsync(w.Id, default);
        Assert.Equal("Succeeded", byId.State);
        Assert.Empty(await Host.LedgerMismatchesAsync());
    }

    [Fact]
    public async Task The_max_offered_leaves_room_for_the_fee_reserve()
    {
        var card = await Host.CreateCardAsync(balanceSat: 1_000);
        var (_, offer) = await Host.TapAsync(card, 1);
        var max = offer.GetProperty("maxWithdrawable").GetInt64();
        // Default reserve: 10 sat + 0.5 %: 985 sat + 10 + 4.925 ≤ 1000.
        Assert.Equal(985_000, max);
        var (status, _) = await Host.CallbackAsync(offer.GetProperty("k1").GetString()!, Host.Invoice(985));
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Tampered_p_is_an_unknown_card_and_tampered_c_does_not_verify()
    {
        var card = await Host.CreateCardAsync(1_000);
        var (p, c) = card.Tap(1);
        var badP = (p[0] == 'A' ? 'B' : 'A') + p[1..];
        var badC = c[..^1] + (c[^1] == '0' ? '1' : '0');

        var (s1, b1) = await Host.GetAsync($"/ln?p={badP}&c={c}");
        Assert.Equal(404, s1);
        AssertError(b1, "CARD_NOT_FOUND");
        var (s2, b2) = await Host.GetAsync($"/ln?p={p}&c={badC}");
        Assert.Equal(403, s2);
        AssertError(b2, "TAP_INVALID");
    }

    [Fact]
    public async Task A_retried_tap_gets_the_same_k1_and_a_replay_after_the_callback_is_refused()
    {
        var card = await Host.CreateCardAsync(10_000);
        var k1 = await Host.OfferAsync(card, 5);
        Assert.Equal(k1, await Host.OfferAsync(card, 5));
        Assert.Equal(200, (await Host.CallbackAsync(k1, Host.Invoice(100))).Status);

        var (status, body) = await Host.TapAsync(card, 5);
        Assert.Equal(409, status);
        AssertError(body, "REPLAY");
        var (older, olderBody) = await Host.TapAsync(card, 4);
        Assert.Equal(409, older);
        AssertError(olderBody, "REPLAY");
        Assert.Equal(200, (await Host.TapAsync(card, 6)).Status);
    }

    [Fact]
    public async Task A_k1_pays_once()
    {
        var card = await Host.CreateCardAsync(10_000);
        var k1 = await Host.OfferAsync(card, 1);
        Assert.Equal(200, (await Host.CallbackAsync(k1, Host.Invoice(100))).Status);
        var (status, body) = await Host.CallbackAsync(k1, Host.Invoice(100));
        Assert.Equal(409, status);
        AssertError(body, "K1_USED");
        var (unknown, unknownBody) = await Host.CallbackAsync(Hex.Lower(new byte[16]), Host.Invoice(100));
        Assert.Equal(404, unknown);
        AssertError(unknownBody, "K1_UNKNOWN");
        Assert.Equal(10_000_000 - 100_000 - 1_000, await Host.BalanceMsatAsync(card.Id));
    }

    [Fact]
    public async Task An_expired_k1_is_refused()
    {
        var card = await Host.CreateCardAsync(10_000);
        var k1 = await Host.OfferAsync(card, 1);
        Host.Time.Advance(TimeSpan.FromMinutes(2));
        var (status, body) = await Host.CallbackAsync(k1, Host.Invoice(100));
        Assert.Equal(410, status);
        AssertError(body, "K1_EXPIRED");
        Assert.Equal(10_000_000, await Host.BalanceMsatAsync(card.Id));
    }

    [Fact]
    public async Task Over_the_per_tap_limit_is_refused()
    {
        var card = await Host.CreateCardAsync(10_000, perTapSat: 500);
        var k1 = await Host.OfferAsync(card, 1);
        var (status, body) = await Host.CallbackAsync(k1, Host.Invoice(501));
        Assert.Equal(403, status);
        AssertError(body, "LIMIT_TX");
        Assert.Equal(200, (await Host.CallbackAsync(k1, Host.Invoice(500))).Status);
    }

    [Fact]
    public async Task Over_the_daily_limit_is_refused_and_failed_payments_do_not_count()
    {
        var card = await Host.CreateCardAsync(10_000, dailySat: 1_500);
        var failed = await Host.CallbackAsync(await Host.OfferAsync(card, 1), Host.Invoice(1_000, payee: "noroute"));
        Assert.Equal(422, failed.Status);
        AssertError(failed.Body, "NO_ROUTE");

        Assert.Equal(200, (await Host.CallbackAsync(await Host.OfferAsync(card, 2), Host.Invoice(1_000))).Status);
        var (_, offer) = await Host.TapAsync(card, 3);
        Assert.Equal(500_000, offer.GetProperty("maxWithdrawable").GetInt64());
        var (status, body) = await Host.CallbackAsync(offer.GetProperty("k1").GetString()!, Host.Invoice(600));
        Assert.Equal(403, status);
        AssertError(body, "LIMIT_DAY");

        var tomorrowInvoice = Host.Invoice(600, expiry: TimeSpan.FromDays(3));
        Host.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(200, (await Host.CallbackAsync(await Host.OfferAsync(card, 4), tomorrowInvoice)).Status);
    }

    [Fact]
    public async Task Over_the_balance_is_refused_and_an_empty_card_gets_no_offer()
    {
        var card = await Host.CreateCardAsync(100);
        var k1 = await Host.OfferAsync(card, 1);
        var (status, body) = await Host.CallbackAsync(k1, Host.Invoice(200));
        Assert.Equal(402, status);
        AssertError(body, "INSUFFICIENT_FUNDS");
        Assert.Equal(100_000, await Host.BalanceMsatAsync(card.Id));

        var empty = await Host.CreateCardAsync(0);
        var (tapStatus, tapBody) = await Host.TapAsync(empty, 1);
        Assert.Equal(402, tapStatus);
        AssertError(tapBody, "INSUFFICIENT_FUNDS");
    }

    [Fact]
    public async Task An_invoice_for_another_network_is_refused()
    {
        var card = await Host.CreateCardAsync(10_000);
        var mainnet = new SimulatedNetwork(BitcoinNetwork.Mainnet, TimeProvider.System);
        mainnet.AddPayee("shop", new PayeeBehavior.Succeed(TimeSpan.Zero, Msat.Zero));
        var (status, body) = await Host.CallbackAsync(await Host.OfferAsync(card, 1), mainnet.CreatePayeeInvoice("shop", Msat.FromSat(100)));
        Assert.Equal(400, status);
        AssertError(body, "INVOICE_WRONG_NETWORK");
    }

    [Fact]
    public async Task Expired_or_nearly_expired_invoices_are_refused_before_anything_is_reserved()
    {
        var card = await Host.CreateCardAsync(10_000);
        var k1 = await Host.OfferAsync(card, 1);
        var shortLived = Host.Invoice(100, expiry: TimeSpan.FromSeconds(60));
        var tooShort = Host.Invoice(100, expiry: TimeSpan.FromSeconds(35));

        var (s1, b1) = await Host.CallbackAsync(k1, tooShort);
        Assert.Equal(400, s1);
        AssertError(b1, "INVOICE_EXPIRED");
        Host.Time.Advance(TimeSpan.FromSeconds(61));
        var (s2, b2) = await Host.CallbackAsync(k1, shortLived);
        Assert.Equal(400, s2);
        AssertError(b2, "INVOICE_EXPIRED");
        Assert.Equal(10_000_000, await Host.BalanceMsatAsync(card.Id));
        Assert.Equal(200, (await Host.CallbackAsync(k1, Host.Invoice(100))).Status);
    }

    [Fact]
    public async Task Invalid_invoices_and_zero_amounts_are_refused()
    {
        var card = await Host.CreateCardAsync(10_000);
        var k1 = await Host.OfferAsync(card, 1);
        var good = Host.Invoice(100);
        var (s1, b1) = await Host.CallbackAsync(k1, good[..^6] + (good[^6] == 'q' ? 'p' : 'q') + good[^5..]);
        Assert.Equal(400, s1);
        AssertError(b1, "INVOICE_INVALID");
        var amountless = Host.Lightning.CreatePayeeInvoice("shop", null);
        var (s2, b2) = await Host.CallbackAsync(k1, amountless);
        Assert.Equal(400, s2);
        AssertError(b2, "AMOUNT_OUT_OF_RANGE");
    }

    [Fact]
    public async Task A_pin_is_required_above_the_limit_and_three_wrong_pins_lock_the_card()
    {
        var card = await Host.CreateCardAsync(10_000);
        using var admin = Host.Admin();
        var set = await admin.SetPinAsync(card.Id, "1234", 500, default);
        Assert.True(set.HasPin);

        var (_, offer) = await Host.TapAsync(card, 1);
        Assert.Equal(500_000, offer.GetProperty("pinLimit").GetInt64());
        var k1 = offer.GetProperty("k1").GetString()!;
        Assert.Equal(200, (await Host.CallbackAsync(k1, Host.Invoice(499))).Status); // below the PIN limit

        k1 = await Host.OfferAsync(card, 2);
        AssertError((await Host.CallbackAsync(k1, Host.Invoice(600))).Body, "PIN_REQUIRED");
        var right = await Host.CallbackAsync(k1, Host.Invoice(600), pin: "1234");
        Assert.Equal(200, right.Status);

        k1 = await Host.OfferAsync(card, 3);
        var first = await Host.CallbackAsync(k1, Host.Invoice(600), pin: "0000");
        Assert.Equal(403, first.Status);
        AssertError(first.Body, "PIN_WRONG");
        Assert.Contains("2 tries left", first.Body.GetProperty("reason").GetString());
        AssertError((await Host.CallbackAsync(k1, Host.Invoice(600), pin: "1111")).Body, "PIN_WRONG");
        AssertError((await Host.CallbackAsync(k1, Host.Invoice(600), pin: "2222")).Body, "CARD_LOCKED");
        AssertError((await Host.CallbackAsync(k1, Host.Invoice(600), pin: "1234")).Body, "CARD_LOCKED");
        AssertError((await Host.TapAsync(card, 4)).Body, "CARD_LOCKED");
        Assert.True((await Host.GetCardAsync(card.Id)).Locked);

        // Setting the PIN again unlocks it.
        Assert.False((await admin.SetPinAsync(card.Id, "4321", 0, default)).Locked);
        Assert.Equal(200, (await Host.CallbackAsync(await Host.OfferAsync(card, 5), Host.Invoice(10), pin: "4321")).Status);
    }

    [Fact]
    public async Task Sixteen_concurrent_wrong_pins_on_one_k1_are_judged_only_up_to_the_limit_and_the_card_stays_locked()
    {
        var card = await Host.CreateCardAsync(10_000);
        using var admin = Host.Admin();
        await admin.SetPinAsync(card.Id, "1234", 0, default);
        var k1 = await Host.OfferAsync(card, 1);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => Host.CallbackAsync(k1, Host.Invoice(100), pin: (5000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)))));

        var codes = answers.Select(a => a.Body.GetProperty("code").GetString()).ToList();
        // Three tries are counted and judged (at most two can still answer PIN_WRONG, the rest lock); 13 are never judged.
        Assert.InRange(codes.Count(c => c == "PIN_WRONG"), 0, 2);
        Assert.Equal(16, codes.Count(c => c is "PIN_WRONG" or "CARD_LOCKED"));
        var after = await Host.GetCardAsync(card.Id);
        Assert.Equal(3, after.PinFailures);
        Assert.True(after.Locked);
        AssertError((await Host.CallbackAsync(k1, Host.Invoice(100), pin: "1234")).Body, "CARD_LOCKED");
        Assert.Equal(10_000_000, await Host.BalanceMsatAsync(card.Id));
    }

    [Fact]
    public async Task The_right_pin_in_a_burst_of_sixteen_guesses_pays_only_if_it_came_within_the_limit()
    {
        for (var trial = 0; trial < 4; trial++)
        {
            var card = await Host.CreateCardAsync(10_000);
            using var admin = Host.Admin();
            await admin.SetPinAsync(card.Id, "1234", 0, default);
            var k1 = await Host.OfferAsync(card, 1);
            var right = Random.Shared.Next(16);

            var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
                Task.Run(() => Host.CallbackAsync(k1, Host.Invoice(100), pin: i == right ? "1234" : (5000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)))));

            var paid = answers[right].Status == 200;
            var wrong = answers.Where((_, i) => i != right).Count(a => a.Body.GetProperty("code").GetString() == "PIN_WRONG");
            var after = await Host.GetCardAsync(card.Id);
            Assert.InRange(after.PinFailures, 0, 3);
            // Paid: at most two wrong guesses came before it and the right PIN's reset lets at most two more answer PIN_WRONG
            // before the lock. Not paid: it was refused because three wrong guesses had used the tries up.
            Assert.InRange(wrong, 0, paid ? 4 : 2);
            if (!paid)
            {
                AssertError(answers[right].Body, "CARD_LOCKED");
                Assert.True(after.Locked);
                Assert.Equal(10_000_000, await Host.BalanceMsatAsync(card.Id));
            }
            else
            {
                Assert.Equal(10_000_000 - 100_000 - 1_000, await Host.BalanceMsatAsync(card.Id));
            }
            Assert.Empty(await Host.LedgerMismatchesAsync());
        }
    }

    [Fact]
    public async Task A_disabled_card_gets_no_offer_and_cannot_use_an_earlier_one()
    {
        var card = await Host.CreateCardAsync(10_000);
        var k1 = await Host.OfferAsync(card, 1);
        using var admin = Host.Admin();
        Assert.False((await admin.DisableAsync(card.Id, default)).Enabled);

        var (status, body) = await Host.TapAsync(card, 2);
        Assert.Equal(403, status);
        AssertError(body, "CARD_DISABLED");
        AssertError((await Host.CallbackAsync(k1, Host.Invoice(100))).Body, "CARD_DISABLED");

        Assert.True((await admin.EnableAsync(card.Id, default)).Enabled);
        Assert.Equal(200, (await Host.CallbackAsync(k1, Host.Invoice(100))).Status);
    }

    [Fact]
    public async Task An_imported_card_is_found_by_its_own_k1_and_pays()
    {
        var keys = Enumerable.Range(0, 5).Select(_ => System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToArray();
        using var admin = Host.Admin();
        var created = await admin.ImportCardAsync(new ImportCardRequest("imported", "04aabbccddeeff",
            Hex.Lower(keys[0]), Hex.Lower(keys[1]), Hex.Lower(keys[2]), Hex.Lower(keys[3]), Hex.Lower(keys[4])), default);
        Assert.Equal(("imported", "imported"), (created.Name, created.KeySource));
        var id = created.Id;
        await admin.CreditAsync(id, 5_000, null, default);

        var card = new TestCard(id, "04aabbccddeeff", keys[1], keys[2]);
        Assert.Equal(200, (await Host.CallbackAsync(await Host.OfferAsync(card, 1), Host.Invoice(1_000))).Status);
        Assert.Equal(5_000_000 - 1_000_000 - 1_000, await Host.BalanceMsatAsync(id));

        var wrongK2 = new TestCard(id, "04aabbccddeeff", keys[1], keys[3]);
        AssertError((await Host.TapAsync(wrongK2, 2)).Body, "TAP_INVALID");
    }

    [Fact]
    public async Task A_definitive_payment_failure_is_an_error_and_refunds_at_once()
    {
        var card = await Host.CreateCardAsync(10_000);
        var (status, body) = await Host.CallbackAsync(await Host.OfferAsync(card, 1), Host.Invoice(1_000, payee: "noroute"));
        Assert.Equal(422, status);
        AssertError(body, "NO_ROUTE");
        Assert.Contains("your card was not charged", body.GetProperty("reason").GetString());
        Assert.Equal(10_000_000, await Host.BalanceMsatAsync(card.Id));
        using var admin = Host.Admin();
        var w = Assert.Single(await admin.ListWithdrawalsAsync(card.Id, default));
        Assert.Equal("Failed", w.State);
        Assert.Equal("NO_ROUTE", w.FailureCode);
        Assert.Empty(await Host.LedgerMismatchesAsync());
    }

    [Fact]
    public async Task Hostile_input_never_produces_a_server_error()
    {
        var card = await Host.CreateCardAsync(10_000);
        var (p, c) = card.Tap(1);
        var k1 = await Host.OfferAsync(card, 1);
        var huge = new string('a', 6000);
        string[] hostile =
        [
            "", "?", "?p=", "?c=", $"?p={p}", $"?c={c}", $"?p={p}&c={c}&p={p}", $"?p={p}&c={c}&c={c}", $"?p={p}&c=zz",
            $"?p={p[..30]}&c={c}", $"?p={p}00&c={c}", $"?p=%00%ff&c={c}", $"?p={huge}&c={huge}", "?p=../../etc/passwd&c=1", "?p=%E2%82%AC%E2%82%AC&c=%F0%9F%92%A9",
        ];
        foreach (var q in hostile)
            await AssertClientError("/ln" + q);
        // Parameters we do not know are ignored: a real tap with extras still gets its offer.
        Assert.Equal(200, (await Host.GetAsync($"/ln?p={p}&c={c}&extra=1&x=%")).Status);

        var invoice = Host.Invoice(100);
        string[] hostileCallbacks =
        [
            "", "?k1=", $"?k1={k1}", $"?pr={invoice}", $"?k1={k1}&pr=", $"?k1={k1}&k1={k1}&pr={invoice}", $"?k1={k1}&pr={invoice}&pr={invoice}",
            $"?k1=xyz&pr={invoice}", $"?k1={k1}&pr=lnbc1", $"?k1={k1}&pr={huge}", $"?k1={k1}&pr={invoice}&pin=12ab",
            $"?k1={k1}&pr={invoice}&pin=1&pin=2", $"?k1={k1}00&pr={invoice}", $"?k1={k1}&pr=%00%01%02", $"?k1={k1}&pr={invoice[..40]}",
            $"?k1={k1}&pr=LNURL1DP68GURN8GHJ7", $"?k1={huge}&pr={huge}&pin={huge}", $"?k1={k1}&pr={invoice.ToUpperInvariant()}X",
        ];
        foreach (var q in hostileCallbacks)
            await AssertClientError("/ln/callback" + q);

        // Nothing was spent by any of it, and the real offer still works.
        Assert.Equal(10_000_000, await Host.BalanceMsatAsync(card.Id));
        Assert.Equal(200, (await Host.CallbackAsync(k1, invoice)).Status);
    }

    [Fact]
    public async Task Sixty_four_concurrent_callbacks_never_overdraw_a_card()
    {
        var card = await Host.CreateCardAsync(balanceSat: 5_000);
        var k1s = new List<string>();
        for (uint i = 1; i <= 64; i++)
            k1s.Add(await Host.OfferAsync(card, i));
        var invoices = k1s.Select(_ => Host.Invoice(1_500)).ToList();

        using var gate = new ManualResetEventSlim(false);
        var calls = k1s.Select((k1, i) => Task.Run(async () =>
        {
            gate.Wait();
            return await Host.CallbackAsync(k1, invoices[i]);
        })).ToList();
        gate.Set();
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.True(r.Status is 200 or 402 or 409, $"status {r.Status}: {r.Body}"));
        var paid = results.Count(r => r.Status == 200);
        Assert.InRange(paid, 1, 3); // 3 × (1500 + 17.5 reserve) ≤ 5000 < 4 × ...
        var balance = await Host.BalanceMsatAsync(card.Id);
        Assert.Equal(5_000_000 - paid * (1_500_000 + 1_000), balance);
        Assert.Empty(await Host.LedgerMismatchesAsync());
    }

    [Fact]
    public async Task The_admin_api_wants_the_bearer_key()
    {
        using var anonymous = Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/cards", new { name = "x" })).StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", GatewayHost.AdminKey + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/cards/abc")).StatusCode);
        using var admin = Host.Admin();
        await AssertRefusedAsync(HttpStatusCode.NotFound, "CARD_NOT_FOUND", () => admin.GetCardAsync("abc", default));
        await AssertRefusedAsync(HttpStatusCode.BadRequest, "BAD_REQUEST", () => admin.CreateCardAsync(new("x", "nothex"), default));
        await AssertRefusedAsync(HttpStatusCode.BadRequest, "BAD_REQUEST", () => admin.CreditAsync("abc", -5, null, default));
        var dup = await Host.CreateCardAsync(0, uid: "04010203040506");
        await AssertRefusedAsync(HttpStatusCode.Conflict, "CARD_EXISTS", () => admin.CreateCardAsync(new("x", dup.Uid), default));
    }

    [Fact]
    public async Task Health_and_metrics_report()
    {
        var card = await Host.CreateCardAsync(1_000);
        await Host.TapAsync(card, 1);
        await Host.GetAsync("/ln?p=00&c=00");
        using var client = Host.CreateClient();
        Assert.Equal("ok", await client.GetStringAsync("/healthz"));
        var metrics = new PrometheusText(await client.GetStringAsync("/metrics"));
        Assert.True(metrics.Value("boltgate_taps_total", ("result", "offer")) == 1, metrics.Text);
        Assert.Equal(1, metrics.Value("boltgate_taps_total", ("result", "BAD_REQUEST")));
        Assert.Equal(1, metrics.Value("boltgate_lnurl_rejections_total", ("code", "BAD_REQUEST")));
        Assert.True(metrics.Value("http_server_request_duration_seconds_count", ("http_route", "/ln")) >= 2, metrics.Text);
    }

    private async Task AssertClientError(string url)
    {
        var (status, body) = await Host.GetAsync(url);
        Assert.True(status is >= 400 and < 500, $"{url[..Math.Min(url.Length, 120)]} answered {status}");
        Assert.Equal("ERROR", body.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("code").GetString()));
    }

    private static async Task AssertRefusedAsync<T>(HttpStatusCode status, string code, Func<Task<T>> call)
    {
        var refused = await Assert.ThrowsAsync<BoltGateApiException>(call);
        Assert.Equal((status, code), (refused.Status, refused.Code));
        Assert.False(string.IsNullOrEmpty(refused.Message));
    }

    private static void AssertError(JsonElement body, string code)
    {
        Assert.Equal("ERROR", body.GetProperty("status").GetString());
        Assert.Equal(code, body.GetProperty("code").GetString());
    }
}

[Trait(Category.Name, Category.Contract)]
public sealed class GatewayFlowTests_Sqlite : GatewayFlowTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[Trait(Category.Name, Category.Contract)]
public sealed class GatewayFlowTests_Postgres : GatewayFlowTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
