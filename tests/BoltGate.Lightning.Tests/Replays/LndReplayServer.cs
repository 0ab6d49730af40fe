using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using BoltGate.Lightning.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BoltGate.Lightning.Tests.Replays;

/// <summary>
/// lnd's REST endpoint played back: HTTPS with its own certificate (pinned by the client as in
/// production), each route answering a recorded status and body — a unary JSON object, or NDJSON
/// lines flushed one by one as grpc-gateway streams them.
/// </summary>
internal sealed class LndReplayServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LndReplayServer(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        Certificate = certificate;
    }

    public X509Certificate2 Certificate { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public List<string> Requests { get; } = [];

    public string ConnectionString =>
        $"type=lnd-rest;server={BaseAddress};macaroon=0201036c6e64;certthumbprint={SelfSignedCertificate.Sha256Thumbprint(Certificate)}";

    /// <summary><paramref name="routes"/>: "POST /v2/router/send" (or a path prefix such as "GET /v2/router/track/") → replay.</summary>
    public static async Task<LndReplayServer> StartAsync(IReadOnlyDictionary<string, Replay> routes)
    {
        var certificate = SelfSignedCertificate.Create("CN=boltgate-lnd-replay");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var server = new LndReplayServer(app, certificate);
        app.Run(async ctx =>
        {
            var key = $"{ctx.Request.Method} {ctx.Request.Path}";
            lock (server.Requests)
                server.Requests.Add(key);
            var match = routes.Where(r => key.StartsWith(r.Key, StringComparison.Ordinal)).OrderByDescending(r => r.Key.Length).FirstOrDefault();
            if (match.Value is not { } replay)
            {
                ctx.Response.StatusCode = 404;
                await ctx.Response.WriteAsync("{\"code\":5,\"message\":\"Not Found\",\"details\":[]}");
                return;
            }
            ctx.Response.StatusCode = replay.Status;
            ctx.Response.ContentType = "application/json";
            if (replay.Response["lines"] is JsonArray lines)
            {
                foreach (var line in lines)
                {
                    await ctx.Response.WriteAsync(line!.ToJsonString() + "\n");
                    await ctx.Response.Body.FlushAsync();
                }
                return;
            }
            await ctx.Response.WriteAsync(replay.Response.ToJsonString());
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}
