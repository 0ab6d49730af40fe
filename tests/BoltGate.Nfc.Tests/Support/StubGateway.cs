using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BoltGate.Nfc.Provisioning;

namespace BoltGate.Nfc.Tests.Support;

/// <summary>
/// A tiny stand-in for the BoltGate server's wire surface (DESIGN.md): POST /api/v1/cards with a
/// Bearer key issues keys for a UID, and GET /ln?p=&amp;c= answers a LUD-03 withdrawRequest when the
/// tap verifies under the keys it issued (and the counter moved), else an ERROR with HTTP 400.
/// To be replaced by the real gateway in the end-to-end test once it lands.
/// </summary>
internal sealed class StubGateway : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly Dictionary<string, (KeySet Keys, uint LastCounter)> _cards = new(StringComparer.OrdinalIgnoreCase);

    public StubGateway(string apiKey)
    {
        ApiKey = apiKey;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string ApiKey { get; }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}/";

    public int TapsAccepted { get; private set; }

    public KeySet KeysOf(string uid) => _cards[uid].Keys;

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            try
            {
                await HandleAsync(ctx);
            }
            finally
            {
                ctx.Response.Close();
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext ctx)
    {
        var req = ctx.Request;
        if (req.HttpMethod == "POST" && req.Url!.AbsolutePath == "/api/v1/cards")
        {
            if (req.Headers["Authorization"] != "Bearer " + ApiKey)
            {
                await WriteAsync(ctx, 401, new { status = "ERROR", reason = "unauthorized" });
                return;
            }
            using var doc = await JsonDocument.ParseAsync(req.InputStream);
            var uid = doc.RootElement.GetProperty("uid").GetString()!;
            var keys = new KeySet(Enumerable.Range(0, 5).Select(_ => RandomNumberGenerator.GetBytes(16)).ToList());
            lock (_cards)
                _cards[uid] = (keys, 0);
            var hex = keys.ToHex();
            await WriteAsync(ctx, 201, new
            {
                id = "card_" + uid, uid, keyVersion = 0,
                keys = new { k0 = hex[0], k1 = hex[1], k2 = hex[2], k3 = hex[3], k4 = hex[4] },
                lnurlw = $"lnurlw://127.0.0.1:{Port}/ln",
            });
            return;
        }
        if (req.HttpMethod == "GET" && req.Url!.AbsolutePath == "/ln")
        {
            var url = "lnurlw://x/ln" + req.Url.Query;
            lock (_cards)
            {
                foreach (var (uid, card) in _cards)
                {
                    var tap = TapCheck.Check(url, card.Keys[1], card.Keys[2]);
                    if (tap.Verified && string.Equals(tap.Uid, uid, StringComparison.OrdinalIgnoreCase))
                    {
                        if (tap.Counter <= card.LastCounter)
                        {
                            _ = WriteAsync(ctx, 400, new { status = "ERROR", reason = "replayed tap" });
                            return;
                        }
                        _cards[uid] = (card.Keys, tap.Counter);
                        TapsAccepted++;
                        _ = WriteAsync(ctx, 200, new
                        {
                            tag = "withdrawRequest", callback = BaseUrl + "ln/callback", k1 = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                            defaultDescription = "BoltGate", minWithdrawable = 1000, maxWithdrawable = 100_000_000,
                        });
                        return;
                    }
                }
            }
            await WriteAsync(ctx, 400, new { status = "ERROR", reason = "unknown card" });
            return;
        }
        await WriteAsync(ctx, 404, new { status = "ERROR", reason = "not found" });
    }

    private static async Task WriteAsync(HttpListenerContext ctx, int status, object body)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body));
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        ctx.Response.ContentLength64 = bytes.Length;
        await ctx.Response.OutputStream.WriteAsync(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
