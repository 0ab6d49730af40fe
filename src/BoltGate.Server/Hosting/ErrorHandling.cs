using BoltGate.Server.Errors;
using BoltGate.Server.Metrics;
using Microsoft.AspNetCore.Diagnostics;

namespace BoltGate.Server.Hosting;

/// <summary>
/// The last line: an exception never becomes a bare 500 on the LNURL and card-programming routes. A request the framework
/// could not read is BAD_REQUEST (400); anything else (database or node down, a bug) is logged and
/// answered UNAVAILABLE (503) in the LNURL ERROR form, so a POS always gets a body it understands.
/// </summary>
public static partial class ErrorHandling
{
    public static WebApplication UseGatewayErrors(this WebApplication app)
    {
        app.UseExceptionHandler(handler => handler.Run(async http =>
        {
            var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
            var badRequest = error is BadHttpRequestException;
            if (!badRequest)
                LogUnhandled(app.Logger, error, http.Request.Path);
            IResult result;
            if (http.Request.Path.StartsWithSegments("/ln") || http.Request.Path.StartsWithSegments("/programming"))
            {
                var metrics = http.RequestServices.GetRequiredService<GatewayMetrics>();
                var gatewayError = badRequest ? GatewayError.BadRequest : GatewayError.Unavailable;
                metrics.Rejected(ErrorCatalog.Describe(gatewayError).Code);
                result = ErrorCatalog.ToResult(gatewayError);
            }
            else
            {
                result = badRequest
                    ? AdminProblem.Result(400, "BAD_REQUEST", "The request could not be read.")
                    : AdminProblem.Result(500, "INTERNAL", "The gateway failed to handle this request; see its log.");
            }
            await result.ExecuteAsync(http);
        }));
        return app;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception? e, PathString path);
}
