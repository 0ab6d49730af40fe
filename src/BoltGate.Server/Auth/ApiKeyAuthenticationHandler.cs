using System.Security.Claims;
using System.Text.Encodings.Web;
using BoltGate.Server.Errors;
using BoltGate.Server.Hardening;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace BoltGate.Server.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;api key&gt;</c>: the principal of a known key carries its scopes as claims.
/// Without a known key the challenge is the admin API's 401 (<c>WWW-Authenticate: Bearer</c>,
/// problem details with <c>"code":"UNAUTHORIZED"</c>); a known key without the route's scope gets 403 in <c>application/problem+json</c>.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IApiKeys keys, FailureLimiter failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string Prefix = "Bearer ";
    private static readonly object RateLimitedKey = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        // An address that sent too many unknown keys is not heard until its window ends, right key or not.
        var address = FailureLimiter.Address(Context);
        if (failures.Blocked(LimitedFailure.AuthByAddress, address) is { } wait)
        {
            Context.Items[RateLimitedKey] = wait;
            return AuthenticateResult.Fail("Too many unknown API keys from this address.");
        }
        var grant = await keys.FindAsync(value[Prefix.Length..].Trim(), Context.RequestAborted).ConfigureAwait(false);
        if (grant is null)
        {
            failures.Failed(LimitedFailure.AuthByAddress, address);
            return AuthenticateResult.Fail("Unknown API key.");
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, grant.Name), .. grant.Scopes.Select(s => new Claim(Scopes.ClaimType, s))], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[RateLimitedKey] is TimeSpan wait)
            return HardeningSetup.RateLimited(Context, wait).ExecuteAsync(Context);
        Response.Headers.WWWAuthenticate = "Bearer";
        return AdminProblem.Result(StatusCodes.Status401Unauthorized, "UNAUTHORIZED", "Send Authorization: Bearer <api key>.")
            .ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var needed = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy).OfType<string>().Distinct().ToList() ?? [];
        var detail = needed.Count == 0
            ? "This API key may not use this route."
            : $"This API key lacks the scope this route needs: {string.Join(", ", needed)}.";
        return AdminProblem.Result(StatusCodes.Status403Forbidden, "FORBIDDEN", detail).ExecuteAsync(Context);
    }
}
