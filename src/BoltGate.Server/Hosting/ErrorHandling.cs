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
        var handler = ((IApplicationBuilder)app).New();
        handler.Run(async http =>
        {
            var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
            var badRequest = error is BadHttpRequestException;
            var status = (error as BadHttpRequestException)?.StatusCode ?? 400;
            if (!badRequest)
                LogUnhandled(app.Logger, error, http.Request.Path);
            IResult result;
            if (Hardening.HardeningSetup.SpeaksLnurl(http.Request.Path))
            {
                var metrics = http.RequestServices.GetRequiredService<GatewayMetrics>();
                var gatewayError = badRequest ? GatewayError.BadRequest : GatewayError.Unavailable;
                metrics.Rejected(ErrorCatalog.Describe(gatewayError).Code);
                result = ErrorCatalog.ToResult(gatewayError);
            }
            else
            {
                result = badRequest
                    ? status switch
                    {
                        413 => AdminProblem.Result(413, "BODY_TOO_LARGE", "The request body is too large."),
                        415 => AdminProblem.Result(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json."),
                        _ => AdminProblem.Result(400, "BAD_REQUEST", "The request could not be read: send a JSON body of the route's shape (docs/api.md)."),
                    }
                    : AdminProblem.Result(500, "INTERNAL", "The gateway failed to handle this request; see its log.");
            }
            await result.ExecuteAsync(http);
        });
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = handler.Build(),
            // A body the client got wrong is its mistake, answered 400: not an error in the gateway's log.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception? e, PathString path);
}
