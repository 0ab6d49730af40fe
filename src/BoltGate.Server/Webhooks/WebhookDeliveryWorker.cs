using System.Diagnostics;
using System.Globalization;
using System.Text;
using BoltGate.Server.Configuration;
using BoltGate.Storage;
using BoltGate.Storage.Webhooks;
using Microsoft.Extensions.Options;

namespace BoltGate.Server.Webhooks;

/// <summary>
/// Delivers outbox events to webhooks. Each pass fans new events out into deliveries (one per webhook
/// and event, held unique by the database), claims due deliveries under a lease (with several instances
/// on one PostgreSQL each is attempted by one), posts them signed, and writes each attempt to the
/// delivery log. A 2xx answer delivers; anything else (another status, a time-out, a refused address) is
/// tried again after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — the Standard Webhooks schedule, a day
/// and a bit — and then given up (state Failed, redeliverable by hand). A crash between the post and its
/// log row makes the next attempt repeat the same webhook-id: receivers de-duplicate on it.
/// </summary>
public sealed partial class WebhookDeliveryWorker(
    BoltGateStore store,
    ReceiverClient receivers,
    TimeProvider time,
    IOptions<WebhookOptions> options,
    GatewayOptions gateway,
    ILogger<WebhookDeliveryWorker> log) : BackgroundService
{
    private static readonly TimeSpan[] Backoff =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    private readonly string _owner = (gateway.Payments.InstanceId ?? Environment.MachineName) + "/webhooks/" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>One pass: fan out, claim, deliver. Returns how many deliveries it attempted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        while (await store.FanOutWebhookEventsAsync(200, ct).ConfigureAwait(false) == 200)
        {
        }
        var due = await store.ClaimWebhookDeliveriesAsync(_owner, options.Value.Timeout * 3, 32, ct).ConfigureAwait(false);
        await Task.WhenAll(due.Select(d => DeliverAsync(d, ct))).ConfigureAwait(false);
        return due.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RunOnceAsync(stoppingToken).ConfigureAwait(false) > 0)
                    continue; // more may be due
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                LogPassFailed(log, e.Message);
            }
            try
            {
                await Task.Delay(options.Value.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task DeliverAsync(DueDelivery delivery, CancellationToken ct)
    {
        var at = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        int? status = null;
        string? error = null;
        try
        {
            var id = WebhookMessage.Id(delivery.Event);
            var body = WebhookMessage.Body(delivery.Event);
            var timestamp = at.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Webhook.Url)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSignature.Sign(delivery.Webhook.Secret, id, timestamp, body));
            request.Headers.UserAgent.ParseAdd("BoltGate-Webhooks/1");
            using var response = await receivers.SendAsync(request, ct).ConfigureAwait(false);
            status = (int)response.StatusCode;
            if (status is < 200 or > 299)
                error = $"the receiver answered {status}";
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return; // shutting down: the lease lapses and another pass (or instance) tries again
        }
        catch (TaskCanceledException)
        {
            error = $"no answer within {options.Value.Timeout.TotalSeconds:0} s";
        }
        catch (HttpRequestException e)
        {
            error = e.InnerException is ReceiverRefusedException refused ? "refused: " + refused.Message : e.Message;
        }
        var delivered = error is null;
        var attempts = delivery.Attempts + 1;
        DateTimeOffset? retryAt = null;
        if (!delivered && attempts <= Backoff.Length)
        {
            var next = at + Backoff[attempts - 1];
            if (next <= delivery.CreatedAt + options.Value.RetryFor + Backoff[^1])
                retryAt = next;
        }
        await store.RecordWebhookAttemptAsync(delivery.Id, _owner,
            new DeliveryAttempt(at, status, error, Stopwatch.GetElapsedTime(started)), delivered, retryAt, CancellationToken.None).ConfigureAwait(false);
        if (!delivered)
            LogAttemptFailed(log, WebhookMessage.Id(delivery.Event), delivery.Webhook.Id, attempts, error!, retryAt);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook pass failed ({Message}); trying again")]
    private static partial void LogPassFailed(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {EventId} to {WebhookId}, attempt {Attempt}, failed: {Error}; next attempt {RetryAt}")]
    private static partial void LogAttemptFailed(ILogger logger, string eventId, string webhookId, int attempt, string error, DateTimeOffset? retryAt);
}
