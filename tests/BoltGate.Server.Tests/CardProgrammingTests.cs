using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BoltGate.Client;
using BoltGate.Core.Crypto;
using BoltGate.Core.Keys;
using BoltGate.Core.Sun;
using BoltGate.Storage;

namespace BoltGate.Server.Tests;

/// <summary>
/// Card programming as the Bolt Card Programmer app drives it (spec §3.1-3.3): admin links with a
/// one-time code, the QR "create" GET, the deeplink program and reset POSTs, and the wipe JSON. Taps
/// come from the SUN generator with the keys the gateway handed out. SQLite and PostgreSQL.
/// </summary>
public abstract class CardProgrammingTests : GatewaySuite
{
    private const string Uid = "04a39493cc8680";

    [Fact]
    public async Task A_create_link_hands_out_fresh_keys_whose_taps_the_gateway_accepts()
    {
        var (status, link) = await LinkAsync(new { name = "shop card", perTapLimitSat = 500, uidPrivacy = true });
        Assert.Equal(201, status);
        var createUrl = link.GetProperty("createUrl").GetString()!;
        Assert.StartsWith("https://pay.example.test/programming/create?code=", createUrl, StringComparison.Ordinal);
        Assert.Equal("boltcard://program?url=" + Uri.EscapeDataString(link.GetProperty("programUrl").GetString()!),
            link.GetProperty("programDeeplink").GetString());
        Assert.Equal("boltcard://reset?url=" + Uri.EscapeDataString(link.GetProperty("resetUrl").GetString()!),
            link.GetProperty("resetDeeplink").GetString());

        using var app = Host.CreateClient();
        using var response = await app.GetAsync(createUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "keys must not be cached");
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("create_bolt_card_response", created.GetProperty("protocol_name").GetString());
        Assert.Equal(2, created.GetProperty("protocol_version").GetInt32());
        Assert.Equal("shop card", created.GetProperty("card_name").GetString());
        Assert.Equal("lnurlw://pay.example.test/ln", created.GetProperty("lnurlw_base").GetString());
        Assert.Equal("Y", created.GetProperty("uid_privacy").GetString());
        var keys = Enumerable.Range(0, 5).Select(i => created.GetProperty($"k{i}").GetString()!).ToList();
        Assert.All(keys, k => Assert.Matches("^[0-9a-f]{32}$", k));
        Assert.Equal(5, keys.Distinct().Count());

        // The card learns its UID on its first tap, made with the keys the app would write.
        var cardId = created.GetProperty("cardId").GetString()!;
        using (var admin = Host.Admin())
            Assert.Equal(1_000_000, (await admin.CreditAsync(cardId, 1_000, null, default)).BalanceMsat);
        var card = new TestCard(cardId, Uid, Hex.Decode(keys[1]), Hex.Decode(keys[2]));
        var (tapStatus, offer) = await Host.TapAsync(card, 1);
        Assert.True(tapStatus == 200, offer.ToString());
        Assert.Equal(500_000, offer.GetProperty("maxWithdrawable").GetInt64());
        var stored = await Host.GetCardAsync(cardId);
        Assert.Equal(Uid, stored.Uid);
        Assert.Equal("shop card", stored.Name);
        Assert.Equal(500, stored.PerTapLimitSat);
    }

    [Fact]
    public async Task A_code_is_spent_once_even_by_16_requests_at_the_same_moment()
    {
        var (_, link) = await LinkAsync(new { name = "race" });
        var createUrl = link.GetProperty("createUrl").GetString()!;
        using var start = new ManualResetEventSlim();
        var racers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            using var client = Host.CreateClient();
            start.Wait();
            using var response = await client.GetAsync(createUrl);
            return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
        })).ToList();
        start.Set();
        var answers = await Task.WhenAll(racers);

        var winner = Assert.Single(answers, a => a.Item1 == 200);
        Assert.Matches("^[0-9a-f]{32}$", winner.Item2.GetProperty("k0").GetString());
        Assert.All(answers.Where(a => a.Item1 != 200), a =>
        {
            Assert.Equal(409, a.Item1);
            AssertError(a.Item2, "CODE_USED");
        });
        // Spent for every flow, not only for the one that spent it.
        var (status, body) = await PostAsync(link.GetProperty("programUrl").GetString()!, new { UID = Uid });
        Assert.Equal(409, status);
        AssertError(body, "CODE_USED");
    }

    [Fact]
    public async Task An_expired_or_unknown_code_is_refused()
    {
        var (_, link) = await LinkAsync(new { name = "late", expiresInMinutes = 5 });
        Host.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var (status, body) = await Host.GetAsync(link.GetProperty("createUrl").GetString()!);
        Assert.Equal(410, status);
        AssertError(body, "CODE_EXPIRED");
        var (unknown, unknownBody) = await Host.GetAsync("/programming/create?code=" + new string('0', 32));
        Assert.Equal(404, unknown);
        AssertError(unknownBody, "CODE_UNKNOWN");
        var (missing, missingBody) = await Host.GetAsync("/programming/create");
        Assert.Equal(400, missing);
        AssertError(missingBody, "BAD_REQUEST");
        var (bad, _) = await LinkAsync(new { name = "never", expiresInMinutes = 0 });
        Assert.Equal(400, bad);
    }

    [Fact]
    public async Task The_program_deeplink_answers_the_derived_keys_of_the_uid_and_refuses_an_active_card()
    {
        var (_, link) = await LinkAsync(new { name = "deeplink", dailyLimitSat = 20_000 });
        var (status, keys) = await PostAsync(link.GetProperty("programUrl").GetString()!, new { UID = Uid.ToUpperInvariant() });
        Assert.True(status == 200, keys.ToString());

        // DETERMINISTIC.md's official vector: issuer key 00..01, this UID, version 1.
        Assert.Equal("lnurlw://pay.example.test/ln", keys.GetProperty("LNURLW").GetString());
        Assert.Equal("A29119FCB48E737D1591D3489557E49B", keys.GetProperty("K0").GetString());
        Assert.Equal("55DA174C9608993DC27BB3F30A4A7314", keys.GetProperty("K1").GetString());
        Assert.Equal("F4B404BE700AB285E333E32348FA3D3B", keys.GetProperty("K2").GetString());
        Assert.Equal("73610BA4AFE45B55319691CB9489142F", keys.GetProperty("K3").GetString());
        Assert.Equal("ADDD03E52964369BE7F2967736B7BDB5", keys.GetProperty("K4").GetString());
        Assert.Equal(1, keys.GetProperty("keyVersion").GetInt32());
        Assert.Equal("e07ce1279d980ecb892a81924b67bf18", keys.GetProperty("cardId").GetString());
        var card = await Host.GetCardAsync("e07ce1279d980ecb892a81924b67bf18");
        Assert.Equal("deeplink", card.Name);
        Assert.Equal(20_000, card.DailyLimitSat);

        // Programming the same UID again while it is active here is refused and leaves the code unspent.
        var (_, second) = await LinkAsync(new { name = "again" });
        var (again, refusal) = await PostAsync(second.GetProperty("programUrl").GetString()!, new { UID = Uid });
        Assert.Equal(409, again);
        AssertError(refusal, "CARD_ACTIVE");
        var (other, _) = await PostAsync(second.GetProperty("programUrl").GetString()!, new { UID = "04c13d5a2f7080" });
        Assert.Equal(200, other);
        var (badUid, badUidBody) = await PostAsync((await LinkAsync(new { name = "x" })).Body.GetProperty("programUrl").GetString()!, new { UID = "04zz" });
        Assert.Equal(400, badUid);
        AssertError(badUidBody, "BAD_REQUEST");
        using var client = Host.CreateClient();
        using var notJson = await client.PostAsync(second.GetProperty("programUrl").GetString()!,
            new StringContent("{\"UID\":", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        AssertError(await notJson.Content.ReadFromJsonAsync<JsonElement>(), "BAD_REQUEST");
    }

    [Fact]
    public async Task A_reset_after_a_verified_tap_returns_the_keys_disables_the_card_and_the_next_program_takes_the_next_version()
    {
        var card = await Host.CreateCardAsync(balanceSat: 5_000, uid: Uid);
        var k1 = await Host.OfferAsync(card, 1);
        Assert.Equal(200, (await Host.CallbackAsync(k1, Host.Invoice(100))).Status);
        var balance = await Host.BalanceMsatAsync(card.Id);

        var (_, link) = await LinkAsync(new { name = "wipe" });
        var (p, c) = card.Tap(2);
        using var app = Host.CreateClient();
        using var response = await app.PostAsJsonAsync(link.GetProperty("resetUrl").GetString()!,
            new { LNURLW = $"lnurlw://pay.example.test/ln?p={p}&c={c}" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "keys must not be cached");
        var reset = await response.Content.ReadFromJsonAsync<JsonElement>();
        var v1 = DeterministicKeys.Derive(Hex.Decode(GatewayHost.IssuerKeyHex), CardUid.Parse(Uid), 1);
        Assert.Equal(v1.K0.ToHex().ToUpperInvariant(), reset.GetProperty("K0").GetString());
        Assert.Equal(v1.K4.ToHex().ToUpperInvariant(), reset.GetProperty("K4").GetString());
        Assert.Equal("wipe", reset.GetProperty("action").GetString());
        Assert.Equal(balance, reset.GetProperty("balanceMsat").GetInt64());

        // Disabled, the money still there for the operator, and the tap's counter used up.
        var after = await Host.GetCardAsync(card.Id);
        Assert.False(after.Enabled);
        Assert.Equal(balance, after.BalanceMsat);
        Assert.Equal(2, after.Counter);
        AssertError((await Host.TapAsync(card, 3)).Body, "CARD_DISABLED");

        // Programmed again: key version 2, the counter starts afresh (the chip's restarts at 0) and pays.
        var (_, again) = await LinkAsync(new { name = "second life" });
        var (status, keys) = await PostAsync(again.GetProperty("programUrl").GetString()!, new { UID = Uid });
        Assert.True(status == 200, keys.ToString());
        Assert.Equal(2, keys.GetProperty("keyVersion").GetInt32());
        var v2 = DeterministicKeys.Derive(Hex.Decode(GatewayHost.IssuerKeyHex), CardUid.Parse(Uid), 2);
        Assert.Equal(v2.K2.ToHex().ToUpperInvariant(), keys.GetProperty("K2").GetString());
        var reborn = new TestCard(card.Id, Uid, v2.K1.ToArray(), v2.K2.ToArray());
        var k1Again = await Host.OfferAsync(reborn, 1);
        Assert.Equal(200, (await Host.CallbackAsync(k1Again, Host.Invoice(100))).Status);
        AssertError((await Host.TapAsync(card, 9)).Body, "TAP_INVALID");
        Assert.True((await Host.GetCardAsync(card.Id)).Enabled);
        Assert.Empty(await Host.LedgerMismatchesAsync());
    }

    [Fact]
    public async Task A_reset_with_a_tampered_or_replayed_tap_is_refused_and_leaves_the_code_unspent()
    {
        var card = await Host.CreateCardAsync(balanceSat: 1_000, uid: Uid);
        var (_, link) = await LinkAsync(new { name = "wipe" });
        var resetUrl = link.GetProperty("resetUrl").GetString()!;
        var (p, c) = card.Tap(5);
        var badC = c[..^1] + (c[^1] == '0' ? '1' : '0');

        var (tampered, tamperedBody) = await PostAsync(resetUrl, new { LNURLW = $"lnurlw://pay.example.test/ln?p={p}&c={badC}" });
        Assert.Equal(403, tampered);
        AssertError(tamperedBody, "TAP_INVALID");
        var (noTap, noTapBody) = await PostAsync(resetUrl, new { LNURLW = "lnurlw://pay.example.test/ln" });
        Assert.Equal(400, noTap);
        AssertError(noTapBody, "BAD_REQUEST");
        Assert.True((await Host.GetCardAsync(card.Id)).Enabled);

        // A tap at or below the last used counter is a replay.
        var k1 = await Host.OfferAsync(card, 6);
        Assert.Equal(200, (await Host.CallbackAsync(k1, Host.Invoice(10))).Status);
        var (replay, replayBody) = await PostAsync(resetUrl, new { LNURLW = $"lnurlw://pay.example.test/ln?p={p}&c={c}" });
        Assert.Equal(409, replay);
        AssertError(replayBody, "REPLAY");

        var (fresh, freshC) = card.Tap(7);
        var (ok, _) = await PostAsync(resetUrl, new { LNURLW = $"lnurlw://pay.example.test/ln?p={fresh}&c={freshC}" });
        Assert.Equal(200, ok);
    }

    [Fact]
    public async Task The_wipe_json_carries_the_cards_current_keys()
    {
        var card = await Host.CreateCardAsync(balanceSat: 0, uid: Uid);
        using var raw = Host.RawAdmin();
        using var response = await raw.GetAsync($"/api/v1/cards/{card.Id}/wipe");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "keys must not be cached");
        var wipe = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, wipe.GetProperty("version").GetInt32());
        Assert.Equal("wipe", wipe.GetProperty("action").GetString());
        Assert.Equal(card.Id, wipe.GetProperty("id").GetString());
        Assert.Equal(Uid, wipe.GetProperty("uid").GetString());
        Assert.Equal("a29119fcb48e737d1591d3489557e49b", wipe.GetProperty("k0").GetString());
        Assert.Equal(Hex.Lower(card.K1), wipe.GetProperty("k1").GetString());
        Assert.Equal(Hex.Lower(card.K2), wipe.GetProperty("k2").GetString());
        Assert.Equal("addd03e52964369be7f2967736b7bdb5", wipe.GetProperty("k4").GetString());
        // It marks nothing: the card still pays.
        Assert.True((await Host.GetCardAsync(card.Id)).Enabled);

        // A card created through the QR flow: its wipe JSON has the keys the app was given.
        var (_, link) = await LinkAsync(new { name = "qr" });
        var (_, created) = await Host.GetAsync(link.GetProperty("createUrl").GetString()!);
        using var admin = Host.Admin();
        var qrWipe = await admin.GetWipeKeysAsync(created.GetProperty("cardId").GetString()!, default);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => created.GetProperty($"k{i}").GetString()),
            [qrWipe.K0, qrWipe.K1, qrWipe.K2, qrWipe.K3, qrWipe.K4]);

        using var anonymous = Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/cards/{card.Id}/wipe")).StatusCode);
        var unknown = await Assert.ThrowsAsync<BoltGateApiException>(() => admin.GetWipeKeysAsync("nope", default));
        Assert.Equal((HttpStatusCode.NotFound, "CARD_NOT_FOUND"), (unknown.Status, unknown.Code));
    }

    [Fact]
    public async Task A_chip_wiped_and_created_again_by_qr_taps_under_its_new_card()
    {
        var first = await CreateByQrAsync("first");
        Assert.Equal(200, (await Host.TapAsync(first, 1)).Status);
        var (_, link) = await LinkAsync(new { name = "wipe" });
        var (p, c) = first.Tap(2);
        var (reset, resetBody) = await PostAsync(link.GetProperty("resetUrl").GetString()!, new { LNURLW = $"lnurlw://pay.example.test/ln?p={p}&c={c}" });
        Assert.True(reset == 200, resetBody.ToString());

        // The same chip (same UID) gets a new card with new keys; the old card keeps the UID on record.
        var second = await CreateByQrAsync("second");
        var (status, offer) = await Host.TapAsync(second, 1);
        Assert.True(status == 200, offer.ToString());
        Assert.Equal(Uid, (await Host.GetCardAsync(first.Id)).Uid);
        Assert.False((await Host.GetCardAsync(first.Id)).Enabled);
    }

    private async Task<TestCard> CreateByQrAsync(string name)
    {
        var (_, link) = await LinkAsync(new { name });
        var (status, created) = await Host.GetAsync(link.GetProperty("createUrl").GetString()!);
        Assert.Equal(200, status);
        var card = new TestCard(created.GetProperty("cardId").GetString()!, Uid,
            Hex.Decode(created.GetProperty("k1").GetString()!), Hex.Decode(created.GetProperty("k2").GetString()!));
        using var admin = Host.Admin();
        Assert.Equal(1_000_000, (await admin.CreditAsync(card.Id, 1_000, null, default)).BalanceMsat);
        return card;
    }

    [Fact]
    public async Task A_card_the_operator_marks_reset_can_be_programmed_again_at_the_next_version()
    {
        var card = await Host.CreateCardAsync(balanceSat: 0, uid: Uid);
        using var admin = Host.Admin();
        var marked = await admin.MarkResetAsync(card.Id, default);
        Assert.False(marked.Enabled);
        var (_, link) = await LinkAsync(new { name = "again" });
        var (status, keys) = await PostAsync(link.GetProperty("programUrl").GetString()!, new { UID = Uid });
        Assert.Equal(200, status);
        Assert.Equal(2, keys.GetProperty("keyVersion").GetInt32());
    }

    /// <summary>Raw, to send bodies the typed client would not and to see the Cache-Control header.</summary>
    private async Task<(int Status, JsonElement Body)> LinkAsync(object body)
    {
        using var admin = Host.RawAdmin();
        using var response = await admin.PostAsJsonAsync("/api/v1/programming-links", body);
        if (response.StatusCode == HttpStatusCode.Created)
            Assert.True(response.Headers.CacheControl?.NoStore, "a code must not be cached");
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<(int Status, JsonElement Body)> PostAsync(string url, object body)
    {
        using var client = Host.CreateClient();
        using var response = await client.PostAsJsonAsync(url, body);
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static void AssertError(JsonElement body, string code)
    {
        Assert.Equal("ERROR", body.GetProperty("status").GetString());
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("reason").GetString()));
    }
}

[Trait(Category.Name, Category.Contract)]
public sealed class CardProgrammingTests_Sqlite : CardProgrammingTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[Trait(Category.Name, Category.Contract)]
public sealed class CardProgrammingTests_Postgres : CardProgrammingTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
