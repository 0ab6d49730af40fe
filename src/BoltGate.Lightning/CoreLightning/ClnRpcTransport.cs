using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace BoltGate.Lightning.CoreLightning;

/// <summary>
/// JSON-RPC 2.0 to lightningd over its unix socket (or TCP). One connection per call: a request is
/// one JSON object; a response ends with "\n\n" and is matched on its id (notifications and other
/// ids are skipped). Closing the connection does not cancel the command on the node.
/// </summary>
internal sealed class ClnRpcTransport
{
    private readonly EndPoint _endpoint;
    private long _nextId;

    public ClnRpcTransport(EndPoint endpoint) => _endpoint = endpoint;

    public async Task<ClnResponse> CallAsync(string method, object parameters, CancellationToken ct)
    {
        var id = $"boltgate:{method}#{Interlocked.Increment(ref _nextId)}";
        var request = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["method"] = method,
            ["params"] = parameters,
        });

        using var socket = _endpoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(_endpoint, ct).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new ClnTransportException($"cannot connect to lightningd: {ex.SocketErrorCode}", sent: false, ex);
        }

        try
        {
            await socket.SendAsync(request, SocketFlags.None, ct).ConfigureAwait(false);
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            var scanFrom = 0;
            while (true)
            {
                var read = await socket.ReceiveAsync(chunk, SocketFlags.None, ct).ConfigureAwait(false);
                if (read == 0)
                    throw new ClnTransportException("lightningd closed the connection before answering", sent: true);
                buffer.Write(chunk, 0, read);
                while (TryTakeMessage(buffer, ref scanFrom, out var message))
                {
                    if (ReadMessage(message, id) is { } response)
                        return response;
                }
            }
        }
        catch (SocketException ex)
        {
            throw new ClnTransportException($"connection to lightningd broke: {ex.SocketErrorCode}", sent: true, ex);
        }
        catch (JsonException ex)
        {
            throw new ClnTransportException("lightningd answered with invalid JSON", sent: true, ex);
        }
    }

    /// <summary>
    /// One JSON-RPC message from lightningd: the answer to <paramref name="id"/>, or null for a
    /// notification or someone else's answer. Throws <see cref="JsonException"/> or <see cref="ClnTransportException"/>.
    /// </summary>
    internal static ClnResponse? ReadMessage(byte[] message, string id)
    {
        // Through a string: JsonDocument does not check the UTF-8 inside strings, and reading one that
        // is broken (an alias, a plugin's message) throws InvalidOperationException later; decoding
        // first turns bad bytes into U+FFFD, as lnd's stream reader does.
        using var doc = JsonDocument.Parse(System.Text.Encoding.UTF8.GetString(message));
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new ClnTransportException("lightningd answered with JSON that is not an object", sent: true);
        if (!root.TryGetProperty("id", out var idElement) || idElement.ToString() != id)
            return null; // a notification, or an answer to someone else
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : -1;
            var text = !error.TryGetProperty("message", out var m) ? ""
                : m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : m.GetRawText();
            return new ClnResponse(null, new ClnRpcError(code, text, error.Clone()));
        }
        if (root.TryGetProperty("result", out var result))
            return new ClnResponse(result.Clone(), null);
        throw new ClnTransportException("lightningd answered with neither result nor error", sent: true);
    }

    /// <summary>Takes one "\n\n"-terminated message off the front of <paramref name="buffer"/>.</summary>
    private static bool TryTakeMessage(MemoryStream buffer, ref int scanFrom, out byte[] message)
    {
        var data = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var at = data[scanFrom..].IndexOf("\n\n"u8);
        if (at < 0)
        {
            scanFrom = Math.Max(0, data.Length - 1);
            message = [];
            return false;
        }
        var end = scanFrom + at;
        message = data[..end].ToArray();
        var rest = data[(end + 2)..].ToArray();
        buffer.SetLength(0);
        buffer.Write(rest);
        scanFrom = 0;
        if (message.AsSpan().Trim("\n\r\t "u8).IsEmpty)
            return TryTakeMessage(buffer, ref scanFrom, out message);
        return true;
    }

    public override string ToString() => _endpoint is UnixDomainSocketEndPoint u ? "unix:" + u : _endpoint.ToString() ?? "";
}

internal sealed record ClnResponse(JsonElement? Result, ClnRpcError? Error);

/// <summary>A JSON-RPC error from lightningd or a plugin: <paramref name="Raw"/> is the whole error object (extra fields sit there, or under data).</summary>
public sealed record ClnRpcError(int Code, string Message, JsonElement Raw)
{
    public override string ToString() => $"{Message} (code {Code})";
}

/// <summary>The socket failed. <see cref="Sent"/> is false only when the request provably never left.</summary>
internal sealed class ClnTransportException : Exception
{
    public ClnTransportException(string message, bool sent, Exception? inner = null)
        : base(message, inner) => Sent = sent;

    public bool Sent { get; }
}
