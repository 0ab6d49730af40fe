namespace BoltGate.Server.Hosting;

internal static partial class StartupLog
{
    [LoggerMessage(Level = LogLevel.Information,
        Message = "BoltGate is serving on {Url} (storage {Provider}, lightning {Lightning}). Create a card: {Curl}")]
    public static partial void Ready(ILogger logger, string url, string provider, string lightning, string curl);
}
