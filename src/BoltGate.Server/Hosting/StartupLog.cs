namespace BoltGate.Server.Hosting;

internal static partial class StartupLog
{
    [LoggerMessage(Level = LogLevel.Information,
        Message = "BoltGate is serving on {Url} (storage {Provider}, lightning {Lightning}). Create a card: {Curl}")]
    public static partial void Ready(ILogger logger, string url, string provider, string lightning, string curl);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Gateway:PublicUrl is not set: callback and card links are built from each request's Host header, which a client chooses. Set it to this gateway's public https address.")]
    public static partial void NoPublicUrl(ILogger logger);
}
