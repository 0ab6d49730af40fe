using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace BoltGate.Server.Webhooks;

/// <summary>Delivery refused before connecting: the receiver's name resolves to an address deliveries may not reach.</summary>
public sealed class ReceiverRefusedException(string message) : Exception(message);

/// <summary>
/// The HTTP client deliveries go out on: no proxy, no redirects (a 3xx is an answer, not a hop), a time-out
/// per attempt, and a connect step that resolves the receiver's name itself, checks every address it
/// gets (<see cref="ReceiverAddresses"/>) and connects to a checked address — so a name that resolves
/// to a private address, or changes between check and connect, cannot reach one.
/// </summary>
public sealed class ReceiverClient : IDisposable
{
    private readonly HttpClient _http;

    public ReceiverClient(IOptions<WebhookOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = o.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, o.AllowPrivateAddresses, ct),
        };
        _http = new HttpClient(handler) { Timeout = o.Timeout };
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
        _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);

    public void Dispose() => _http.Dispose();

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, ct).ConfigureAwait(false);
        if (addresses.Length == 0)
            throw new ReceiverRefusedException($"{endpoint.Host} has no address.");
        if (!allowPrivate && addresses.FirstOrDefault(a => !ReceiverAddresses.IsPublic(a)) is { } blocked)
            throw new ReceiverRefusedException(
                $"{endpoint.Host} resolves to {blocked}, a loopback, private or otherwise non-public address (Webhooks:AllowPrivateAddresses is off).");
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}
