using System.Net.Sockets;
using System.Security.Authentication;

namespace BoltGate.Lightning;

/// <summary>Transport failures that prove a request never reached the node.</summary>
internal static class Transport
{
    /// <summary>
    /// True when the request provably never reached the node: name resolution failed, the TCP
    /// connection was refused or unreachable, or the TLS handshake failed (no request bytes are
    /// written before it completes). Anything later (reset, truncated response) is not proof.
    /// </summary>
    public static bool ProvablyNotSent(HttpRequestException ex)
    {
        if (ex.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
            return true;
        if (ex.InnerException is AuthenticationException)
            return true;
        if (ex.HttpRequestError == HttpRequestError.ConnectionError && ex.InnerException is SocketException se)
            return ConnectFailed(se);
        return false;
    }

    public static bool ConnectFailed(SocketException se) => se.SocketErrorCode is SocketError.ConnectionRefused
        or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.AddressNotAvailable
        or SocketError.HostNotFound or SocketError.AddressFamilyNotSupported or SocketError.AccessDenied;
}
