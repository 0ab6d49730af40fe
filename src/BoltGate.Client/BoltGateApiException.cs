using System.Net;

namespace BoltGate.Client;

/// <summary>
/// The gateway refused a request: its HTTP status, its stable machine-readable code (<c>CARD_NOT_FOUND</c>,
/// <c>CODE_USED</c>, ...) and its words for people. <see cref="Exception.Message"/> is the gateway's message.
/// </summary>
public sealed class BoltGateApiException : Exception
{
    public BoltGateApiException(HttpStatusCode status, string code, string message)
        : base(message)
    {
        Status = status;
        Code = code;
    }

    public BoltGateApiException()
    {
        Code = "UNKNOWN";
    }

    public BoltGateApiException(string message)
        : base(message)
    {
        Code = "UNKNOWN";
    }

    public BoltGateApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "UNKNOWN";
    }

    public HttpStatusCode Status { get; }

    public string Code { get; }

    public override string ToString() => $"HTTP {(int)Status} {Code}: {Message}";
}
