using Microsoft.AspNetCore.Authentication;

namespace BoltGate.Server.Auth;

/// <summary>
/// Authentication (who is calling) and authorization (may they): the bearer API-key scheme, and one
/// policy per scope that routes name with <c>RequireAuthorization(Scopes.CardsRead)</c>. Policies name
/// no scheme, so another scheme (the console's cookie) can sign callers in with the same scope claims.
/// </summary>
public static class AuthSetup
{
    public static IServiceCollection AddGatewayAuth(this IServiceCollection services)
    {
        services.AddSingleton<BootstrapApiKey>();
        services.AddSingleton<IApiKeys, GatewayApiKeys>();
        services.AddSingleton<ApiKeyService>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        var policies = services.AddAuthorizationBuilder();
        foreach (var scope in Scopes.All)
        {
            policies.AddPolicy(scope, policy => policy.RequireAuthenticatedUser()
                .RequireClaim(Scopes.ClaimType, scope == Scopes.Admin ? [Scopes.Admin] : [scope, Scopes.Admin]));
        }
        return services;
    }
}
