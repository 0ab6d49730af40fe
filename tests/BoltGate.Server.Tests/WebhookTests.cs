using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BoltGate.Server.Webhooks;
using BoltGate.Storage;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace BoltGate.Server.Tests;

/// <summary>
/// Webhooks end to end: events of the outbox reach a real HTTP receiver (Kestrel on 127.0.0.1) signed so
/// that the Standard Webhooks reference library (NuGet StandardWebhooks 1.1.2) verifies them, once per
/// event id; a 500 is retried; a receiver on a private address is refused unless allowed.
/// </summary>
public abstract class WebhookTests : GatewaySuite
{
    protected override Dictionary<string, string?>? Settings => new() { ["Webhooks:AllowPrivateAddresses"] = "true" };

    private async Task<(string Id, string Secret)> CreateWebhookAsync(string url, params string[] events)
    {
        using var admin = Host.RawAdmin();
        var response = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url, events });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return (body.GetProperty("id").GetString()!, body.GetProperty("secret").GetString()!);
    }

    /// <summary>The gateway's clock stands still in these tests: keep it with the real one so retries come due and timestamps are fresh.</summary>
    private void Tick() => Host.CatchUpWithRealTime();

    [Fact(Timeout = 60_000)]
    public async Task Events_reach_the_receiver_signed_as_standard_webhooks_verify_and_once_per_event_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, secret) = await CreateWebhookAsync(receiver.Url, "card.created", "card.credited");
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);

        var card = await Host.CreateCardAsync(1_000);
        var got = await receiver.WaitAsync(r => r.Count >= 2, TimeSpan.FromSeconds(30), Tick);
        await Task.Delay(1_500); // a second pass must not send them again

        var verifier = new StandardWebhook(secret);
        Assert.Equal(2, receiver.Received.Count);
        foreach (var r in got)
            verifier.Verify(r.Body, r.Headers); // throws WebhookVerificationException when the signature does not match
        // Deliveries go out side by side: order by event id (webhook-id evt_<id>).
        got = got.OrderBy(r => long.Parse(r.Headers["webhook-id"].ToString()["evt_".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var bodies = got.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(["card.created", "card.credited"], bodies.Select(b => b.GetProperty("type").GetString()));
        Assert.All(bodies, b => Assert.Equal(card.Id, b.GetProperty("data").GetProperty("card_id").GetString()));
        Assert.Equal(1_000_000, bodies[1].GetProperty("data").GetProperty("amount_msat").GetInt64());
        Assert.True(DateTimeOffset.TryParse(bodies[0].GetProperty("timestamp").GetString(), out _));
        Assert.Equal(2, got.Select(r => r.Headers["webhook-id"].ToString()).Distinct().Count());

        // A tampered body fails the same verifier: the check above can fail.
        Assert.Throws<WebhookVerificationException>(() => verifier.Verify(got[0].Body.Replace("card", "cart", StringComparison.Ordinal), got[0].Headers));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_500_from_the_receiver_is_retried_with_the_same_webhook_id_and_logged()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answers.Enqueue(500);
        var (id, secret) = await CreateWebhookAsync(receiver.Url, "card.created");
        await Host.CreateCardAsync(0);

        await receiver.WaitAsync(r => r.Count >= 1, TimeSpan.FromSeconds(30), Tick);
        // The first retry is due 5 s later on the gateway's clock.
        var got = await receiver.WaitAsync(r => r.Count >= 2, TimeSpan.FromSeconds(30), () => Host.Time.Advance(TimeSpan.FromSeconds(1)));

        Assert.Equal(got[0].Headers["webhook-id"].ToString(), got[1].Headers["webhook-id"].ToString());
        new StandardWebhookVerifierCheck(secret).Verify(got[1]);
        using var admin = Host.RawAdmin();
        JsonElement delivery = default;
        for (var i = 0; i < 50; i++)
        {
            var list = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{id}/deliveries");
            delivery = list[0];
            if (delivery.GetProperty("state").GetString() == "Delivered")
                break;
            await Task.Delay(100);
        }
        Assert.True(delivery.GetProperty("state").GetString() == "Delivered", delivery.ToString());
        Assert.Equal(2, delivery.GetProperty("attempts").GetInt32());
        var log = delivery.GetProperty("attemptLog");
        Assert.Equal(500, log[0].GetProperty("status").GetInt32());
        Assert.Equal(200, log[1].GetProperty("status").GetInt32());

        // Redelivery by hand sends it once more, same id.
        var redeliver = await admin.PostAsync($"/api/v1/webhooks/{id}/deliveries/{delivery.GetProperty("id").GetString()}/redeliver", null);
        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        var again = await receiver.WaitAsync(r => r.Count >= 3, TimeSpan.FromSeconds(30), Tick);
        Assert.Equal(got[0].Headers["webhook-id"].ToString(), again[2].Headers["webhook-id"].ToString());
    }

    [Fact(Timeout = 30_000)]
    public async Task Webhook_routes_refuse_bad_input_need_the_admin_scope_and_delete()
    {
        using var admin = Host.RawAdmin();
        var bad = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "ftp://x.example/", events = new[] { "card.created" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var unknown = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://x.example/", events = new[] { "card.exploded" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("card.exploded", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var anonymous = Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/webhooks")).StatusCode);

        var (id, _) = await CreateWebhookAsync("https://receiver.example/hook", "withdrawal.succeeded");
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/v1/webhooks");
        Assert.Contains(listed.EnumerateArray(), w => w.GetProperty("id").GetString() == id);
        Assert.DoesNotContain("whsec_", listed.ToString(), StringComparison.Ordinal); // the secret was shown once
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/webhooks/{id}/deliveries")).StatusCode);
    }

    /// <summary>The reference library's verifier over what the receiver got.</summary>
    private sealed class StandardWebhookVerifierCheck(string secret)
    {
        public void Verify(ReceivedWebhook r) => new StandardWebhook(secret).Verify(r.Body, r.Headers);
    }
}

[Trait(Category.Name, Category.Contract)]
public sealed class WebhookTests_Sqlite : WebhookTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[Trait(Category.Name, Category.Contract)]
public sealed class WebhookTests_Postgres : WebhookTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}

/// <summary>
/// Signing checked against the Standard Webhooks published example, and the receiver address policy
/// (no loopback, private or link-local delivery unless allowed).
/// </summary>
[Trait(Category.Name, Category.Unit)]
public sealed class WebhookSignatureTests
{
    // The example of the Standard Webhooks reference libraries' tests: github.com/standard-webhooks/standard-webhooks
    // @1e88c9ce08bb2c605fea9a2a540b4a91d31c7a62, libraries/csharp/StandardWebhooks.Tests/WebhookTest.cs, verifyWebhookSignWorks
    // (the same vector is in every language's test suite there).
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecPayload = "{\"test\": 2432232314}";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Our_signature_of_the_spec_example_is_the_spec_signature()
    {
        var key = Convert.FromBase64String(SpecSecret["whsec_".Length..]);
        Assert.Equal(SpecSignature, WebhookSignature.Sign(key, SpecId, SpecTimestamp, SpecPayload));
        Assert.NotEqual(SpecSignature, WebhookSignature.Sign(key, SpecId, SpecTimestamp + 1, SpecPayload));
        Assert.Equal(SpecSecret, WebhookSignature.FormatSecret(key));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    public void Private_loopback_and_link_local_addresses_are_not_receivers(string address) =>
        Assert.False(ReceiverAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.216.34")]
    [InlineData("2606:4700:4700::1111")]
    public void Public_addresses_are_receivers(string address) => Assert.True(ReceiverAddresses.IsPublic(IPAddress.Parse(address)));
}

/// <summary>Without Webhooks:AllowPrivateAddresses a receiver on loopback gets nothing, and the delivery log says why.</summary>
[Trait(Category.Name, Category.Contract)]
public sealed class WebhookAddressPolicyTests : GatewaySuite
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    [Fact(Timeout = 60_000)]
    public async Task A_receiver_on_a_private_address_is_refused_at_creation_and_a_name_resolving_to_one_at_delivery()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = Host.RawAdmin();
        var literal = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url, events = new[] { "card.created" } });
        Assert.Equal(HttpStatusCode.BadRequest, literal.StatusCode);

        // "localhost" passes the literal check but resolves to loopback: refused when delivering.
        var byName = receiver.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        var created = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = byName, events = new[] { "card.created" } });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await Host.CreateCardAsync(0);
        JsonElement delivery = default;
        for (var i = 0; i < 100 && delivery.ValueKind != JsonValueKind.Object; i++)
        {
            Host.CatchUpWithRealTime();
            var list = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{id}/deliveries");
            if (list.GetArrayLength() > 0 && list[0].GetProperty("attempts").GetInt32() > 0)
                delivery = list[0];
            else
                await Task.Delay(100);
        }
        Assert.Equal(JsonValueKind.Object, delivery.ValueKind);
        Assert.True(delivery.TryGetProperty("lastError", out _), delivery.ToString());
        Assert.Contains("refused", delivery.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }
}
