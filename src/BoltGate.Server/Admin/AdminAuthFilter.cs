using System.Security.Cryptography;
using System.Text;
using BoltGate.Server.Secrets;

namespace BoltGate.Server.Admin;

/// <summary><c>Authorization: Bearer &lt;admin api key&gt;</c>, compared in constant time.</summary>
public sealed class AdminAuthFilter(GatewaySecrets secrets) : IEndpointFilter
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(secrets.AdminApiKey);

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization;
        var given = header.Count == 1 && header[0] is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetBytes(value["Bearer ".Length..].Trim())
            : [];
        if (CryptographicOperations.FixedTimeEquals(given, _expected))
            return next(context);
        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return ValueTask.FromResult<object?>(Results.Json(
            new AdminError("UNAUTHORIZED", "Send Authorization: Bearer <admin api key>."), statusCode: StatusCodes.Status401Unauthorized));
    }
}
