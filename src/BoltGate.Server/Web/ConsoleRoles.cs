using System.Security.Claims;
using BoltGate.Server.Auth;

namespace BoltGate.Server.Web;

/// <summary>
/// The console's roles and the API scopes each one's sign-in carries, so the console's pages and the
/// admin API are guarded by the same policies: <c>admin</c> everything; <c>operator</c> cards and money
/// but no key export and no user administration; <c>viewer</c> reads only.
/// </summary>
public static class ConsoleRoles
{
    public const string Admin = "admin";
    public const string Operator = "operator";
    public const string Viewer = "viewer";

    public static IReadOnlyList<string> All { get; } = [Admin, Operator, Viewer];

    public static bool IsKnown(string? role) => role is Admin or Operator or Viewer;

    public static IReadOnlyList<string> ScopesOf(string role) => role switch
    {
        Admin => [Scopes.Admin],
        Operator => [Scopes.CardsRead, Scopes.CardsWrite, Scopes.FundsWrite],
        _ => [Scopes.CardsRead],
    };

    /// <summary>Whether the principal holds <paramref name="scope"/> (admin holds every scope).</summary>
    public static bool Can(this ClaimsPrincipal user, string scope) =>
        user.HasClaim(Scopes.ClaimType, scope) || user.HasClaim(Scopes.ClaimType, Scopes.Admin);

    public static bool IsAdmin(this ClaimsPrincipal user) => user.HasClaim(Scopes.ClaimType, Scopes.Admin);
}
