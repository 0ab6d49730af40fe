using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BoltGate.Nfc.Provisioning;

namespace BoltGate.Nfc.Tests.Support;

/// <summary>
/// A stand-in for a server that speaks the Bolt Card Programmer deeplink protocol (spec §3):
/// POST <c>{"UID"}</c> to the program URL answers <c>{"LNURLW","K0".."K4"}</c> with new keys, and POST
/// <c>{"LNURLW"}</c> (the URL read from the card) to the reset URL answers the wipe JSON of the card that
/// URL's tap belongs to. The BoltGate gateway does not offer this protocol yet (only its admin API,
/// which the end-to-end test drives on the real server), so the CLI's deeplink path is tested here.
/// </summary>
internal sealed class DeeplinkStub : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly Dictionary<string, KeySet> _cards = new(StringComparer.OrdinalIgnoreCase);

    public DeeplinkStub()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string ProgramLink => "boltcard://program?url=" + Uri.EscapeDataString($"http://127.0.0.1:{Port}/program?onExisting=UpdateVersion");

    public string ResetLink => "boltcard://reset?url=" + Uri.EscapeDataString($"http://127.0.0.1:{Port}/reset?onExisting=KeepVersion");

    public string LnurlwBase => $"lnurlw://127.0.0.1:{Port}/ln";

    /// <summary>The LNURLW values the reset URL was sent: what the CLI read from the card.</summary>
    public List<string> ResetRequests { get; } = [];

    public KeySet KeysOf(string uid)
    {
        lock (_cards)
            return _cards[uid];
    }

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
                var (status, body) = await AnswerAsync(ctx.Request);
                var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body));
                ctx.Response.StatusCode = status;
                ctx.Response.ContentType = "application/json";
                ctx.Response.ContentLength64 = bytes.Length;
                await ctx.Response.OutputStream.WriteAsync(bytes);
            }
            finally
            {
                ctx.Response.Close();
            }
        }
    }

    private async Task<(int Status, object Body)> AnswerAsync(HttpListenerRequest req)
    {
        if (req.HttpMethod != "POST")
            return (405, new { status = "ERROR", reason = "POST only" });
        using var doc = await JsonDocument.ParseAsync(req.InputStream);
        if (req.Url!.AbsolutePath == "/program" && doc.RootElement.TryGetProperty("UID", out var uidJson))
        {
            var uid = uidJson.GetString()!;
            var keys = new KeySet(Enumerable.Range(0, 5).Select(_ => RandomNumberGenerator.GetBytes(16)).ToList());
            lock (_cards)
                _cards[uid] = keys;
            var hex = keys.ToHex().Select(h => h.ToUpperInvariant()).ToList();
            return (200, new Dictionary<string, string>
            {
                ["LNURLW"] = LnurlwBase, ["K0"] = hex[0], ["K1"] = hex[1], ["K2"] = hex[2], ["K3"] = hex[3], ["K4"] = hex[4],
            });
        }
        if (req.Url.AbsolutePath == "/reset" && doc.RootElement.TryGetProperty("LNURLW", out var lnurlwJson))
        {
            var lnurlw = lnurlwJson.GetString()!;
            lock (_cards)
            {
                ResetRequests.Add(lnurlw);
                foreach (var (uid, keys) in _cards)
                {
                    if (TapCheck.Check(lnurlw, keys[1], keys[2]) is { Verified: true } tap && string.Equals(tap.Uid, uid, StringComparison.OrdinalIgnoreCase))
                    {
                        using var wipe = JsonDocument.Parse(ProgrammerJson.WriteWipe(keys, uid));
                        return (200, wipe.RootElement.Clone());
                    }
                }
            }
            return (200, new { status = "ERROR", reason = "unknown card" });
        }
        return (404, new { status = "ERROR", reason = "not found" });
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
