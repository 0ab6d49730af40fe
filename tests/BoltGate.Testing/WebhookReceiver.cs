using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BoltGate.Testing;

/// <summary>One request as a webhook receiver got it: the headers it would verify and the raw body.</summary>
public sealed record ReceivedWebhook(IHeaderDictionary Headers, string Body, DateTimeOffset At);

/// <summary>
/// A real HTTP receiver (Kestrel on 127.0.0.1, a free port) that records every POST to <c>/hook</c> and
/// answers with the next status of <see cref="Answers"/> (200 when none is queued).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public ConcurrentQueue<int> Answers { get; } = new();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        WebhookReceiver? self = null;
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            self!.Received.Enqueue(new ReceivedWebhook(new HeaderDictionary(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value)), body,
                DateTimeOffset.UtcNow));
            return Results.StatusCode(self.Answers.TryDequeue(out var status) ? status : 200);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new WebhookReceiver(app, address.TrimEnd('/') + "/hook");
        return self;
    }

    /// <summary>Waits until <paramref name="done"/> holds for what was received, or fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, TimeSpan timeout,
        Action? eachRound = null)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var now = Received.ToList();
            if (done(now))
                return now;
            if (DateTimeOffset.UtcNow > until)
                throw new TimeoutException($"The receiver got {now.Count} request(s): " + string.Join(" | ", now.Select(r => r.Body)));
            eachRound?.Invoke();
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
