using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BoltGate.Lightning.Tests.Replays;

/// <summary>
/// A lightning-rpc unix socket that answers each JSON-RPC method with a recorded response, as
/// lightningd frames it (<c>{"jsonrpc":"2.0","id":…,"result":…}</c> then "\n\n"). A list answer
/// (<c>pays</c>, <c>payments</c>, <c>invoices</c>) is filtered by the request's <c>payment_hash</c>, as
/// the node filters it; a method with no recording answers -32601 "Unknown command", as lightningd does.
/// </summary>
internal sealed class ClnReplayServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _dir;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ClnReplayServer(IReadOnlyDictionary<string, JsonNode> responses)
    {
        Responses = responses;
        _dir = Path.Combine(Path.GetTempPath(), "boltgate-replay-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_dir);
        SocketPath = Path.Combine(_dir, "lightning-rpc");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(8);
        _loop = Task.Run(AcceptAsync);
    }

    public IReadOnlyDictionary<string, JsonNode> Responses { get; }

    public string SocketPath { get; }

    public LightningConnectionString.CoreLightning Connection => new(SocketPath, null, 0);

    /// <summary>Methods and params received, in order.</summary>
    public List<(string Method, JsonNode? Params)> Requests { get; } = [];

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            var buffer = new List<byte>();
            var chunk = new byte[4096];
            JsonNode? request = null;
            while (request is null)
            {
                var n = await client.ReceiveAsync(chunk, SocketFlags.None);
                if (n == 0)
                    return;
                buffer.AddRange(chunk.AsSpan(0, n).ToArray());
                try
                {
                    request = JsonNode.Parse(buffer.ToArray());
                }
                catch (JsonException)
                {
                }
            }
            var method = request["method"]!.GetValue<string>();
            var parameters = request["params"];
            lock (Requests)
                Requests.Add((method, parameters?.DeepClone()));
            var answer = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = request["id"]!.DeepClone() };
            if (Responses.TryGetValue(method, out var recorded))
                answer["result"] = Filter(recorded.DeepClone(), parameters?["payment_hash"]?.GetValue<string>());
            else
                answer["error"] = new JsonObject { ["code"] = -32601, ["message"] = $"Unknown command '{method}'" };
            await client.SendAsync(Encoding.UTF8.GetBytes(answer.ToJsonString() + "\n\n"), SocketFlags.None);
        }
    }

    private static JsonNode Filter(JsonNode result, string? hash)
    {
        if (hash is null || result is not JsonObject obj)
            return result;
        foreach (var list in new[] { "pays", "payments", "invoices" })
        {
            if (obj[list] is JsonArray array)
            {
                var kept = array.Where(e => e?["payment_hash"]?.GetValue<string>() == hash).Select(e => e!.DeepClone()).ToArray();
                obj[list] = new JsonArray(kept);
            }
        }
        return obj;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
