using System.Net.Http.Json;
using System.Text.Json;
using BoltGate.Client;
using StandardWebhooks;

namespace BoltGate.Server.Tests;

/// <summary>
/// The real gateway process, killed after a withdrawal settled and before its webhook was accepted (the
/// receiver answered 500), started again on the same data directory: the delivery survives in the
/// database and reaches the receiver after the restart, signed, with the same webhook-id — once. Then
/// /metrics of that process shows the withdrawal and the emptied webhook backlog.
/// </summary>
[Trait(Category.Name, Category.Process)]
public sealed class WebhookRestartTests : IAsyncLifetime
{
    private const string AdminKey = "webhook-restart-admin-key-0123456789";
    private readonly TempDir _workDir = new("boltgate-webhook-restart-");
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _workDir.Dispose();
    }

    private ServerProcess StartServer() => ServerProcess.Start(_workDir.Path,
        "--Admin:ApiKey=" + AdminKey,
        "--Webhooks:AllowPrivateAddresses=true",
        "--Webhooks:PollInterval=00:00:00.200");

    [Fact(Timeout = 120_000)]
    public async Task A_withdrawal_event_not_yet_delivered_when_the_gateway_dies_is_delivered_after_the_restart_once()
    {
        for (var i = 0; i < 100; i++)
            _receiver.Answers.Enqueue(500);
        string secret;
        string withdrawalId;
        using (var server = StartServer())
        {
            await server.WaitHealthyAsync();
            using var admin = server.AdminClient(AdminKey);
            secret = (await admin.CreateWebhookAsync(_receiver.Url, ["withdrawal.succeeded"], default)).Secret!;
            var card = await admin.CreateCardAsync(new CreateCardRequest("restart", "04c1c2c3c4c5c6"), default);
            await admin.CreditAsync(card.Id, 5_000, null, default);

            using var raw = new HttpClient { BaseAddress = new Uri(server.Url) };
            raw.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
            var tap = await (await raw.PostAsync($"/api/v1/dev/cards/{card.Id}/tap", null)).Content.ReadFromJsonAsync<JsonElement>();
            var offer = await raw.GetFromJsonAsync<JsonElement>(tap.GetProperty("url").GetString());
            var invoice = await (await raw.PostAsJsonAsync("/api/v1/dev/invoices", new { amountSat = 1_000 })).Content.ReadFromJsonAsync<JsonElement>();
            var answer = await raw.GetFromJsonAsync<JsonElement>(
                $"/ln/callback?k1={offer.GetProperty("k1").GetString()}&pr={invoice.GetProperty("bolt11").GetString()}");
            Assert.True(answer.GetProperty("status").GetString() == "OK", answer.ToString());
            withdrawalId = (await admin.ListWithdrawalsAsync(card.Id, default)).Single().Id;

            await _receiver.WaitAsync(r => r.Count >= 1, TimeSpan.FromSeconds(30)); // refused once with a 500
        } // killed here: the delivery is Pending, its retry due in 5 s

        var refusedIds = _receiver.Received.Select(r => r.Headers["webhook-id"].ToString()).Distinct().ToList();
        Assert.Single(refusedIds);
        _receiver.Answers.Clear(); // the receiver accepts from now on
        var before = _receiver.Received.Count;

        using var again = StartServer();
        await again.WaitHealthyAsync();
        var got = await _receiver.WaitAsync(r => r.Count > before, TimeSpan.FromSeconds(60));
        await Task.Delay(2_000); // accepted: nothing more comes
        Assert.Equal(before + 1, _receiver.Received.Count);

        var delivered = got[^1];
        new StandardWebhook(secret).Verify(delivered.Body, delivered.Headers);
        Assert.Equal(refusedIds[0], delivered.Headers["webhook-id"].ToString());
        var body = JsonDocument.Parse(delivered.Body).RootElement;
        Assert.Equal("withdrawal.succeeded", body.GetProperty("type").GetString());
        Assert.Equal(withdrawalId, body.GetProperty("data").GetProperty("withdrawal_id").GetString());

        using var scrape = new HttpClient { BaseAddress = new Uri(again.Url) };
        var metrics = new PrometheusText(await scrape.GetStringAsync("/metrics"));
        Assert.True(metrics.Value("boltgate_webhook_backlog") == 0, metrics.Text);
        Assert.True(metrics.Value("boltgate_liabilities_msat", ("kind", "balances")) == 4_000_000, metrics.Text);
        Assert.Equal(0, metrics.Value("boltgate_payments_in_flight"));
        Assert.Equal("ok", await scrape.GetStringAsync("/healthz"));
        var ready = await scrape.GetFromJsonAsync<JsonElement>("/readyz");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
    }
}
