using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using BoltGate.Server.Auth;
using BoltGate.Storage;
using BoltGate.Storage.Operators;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace BoltGate.Server.Web;

/// <summary>Why a sign-in did not happen.</summary>
public enum SignInRefusal
{
    WrongNameOrPassword,
    Locked,
}

/// <summary>
/// Operator accounts: passwords hashed with ASP.NET Core's <see cref="PasswordHasher{TUser}"/> (PBKDF2,
/// salted); <see cref="MaxFailures"/> wrong passwords in a row lock the account for <see cref="LockFor"/>,
/// during which even the right password is refused. An unknown name costs the same hashing time as a
/// known one, so timing does not tell which names exist.
/// </summary>
public sealed class ConsoleUsers(BoltGateStore store, TimeProvider time)
{
    public const int MaxFailures = 5;
    public const int MinPasswordLength = 10;
    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(15);
    private static readonly PasswordHasher<string> Hasher = new();
    private static readonly string DummyHash = Hasher.HashPassword("", "not a password of anyone");

    public static string? ProblemWith(string? name, string? password, string? role)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 64 || name.Trim().Any(ch => char.IsControl(ch)))
            return "Give a name of 1 to 64 characters.";
        if (password is null || password.Length < MinPasswordLength)
            return $"The password must have at least {MinPasswordLength} characters.";
        if (!ConsoleRoles.IsKnown(role))
            return "The role must be admin, operator or viewer.";
        return null;
    }

    /// <summary>Null when created, else why not.</summary>
    public async Task<string?> CreateAsync(string? name, string? password, string? role, CancellationToken ct)
    {
        if (ProblemWith(name, password, role) is { } problem)
            return problem;
        var trimmed = name!.Trim();
        return await store.CreateConsoleUserAsync(trimmed, Hasher.HashPassword(trimmed, password!), role!, ct).ConfigureAwait(false)
            ? null
            : $"An account named {trimmed} exists already.";
    }

    public async Task<(ClaimsPrincipal? User, SignInRefusal? Refusal)> SignInAsync(string? name, string? password, CancellationToken ct)
    {
        var trimmed = name?.Trim() ?? "";
        var user = trimmed.Length == 0 ? null : await store.GetConsoleUserAsync(trimmed, ct).ConfigureAwait(false);
        if (user is null)
        {
            Hasher.VerifyHashedPassword("", DummyHash, password ?? "");
            return (null, SignInRefusal.WrongNameOrPassword);
        }
        if (user.LockedUntil is { } until && until > time.GetUtcNow())
            return (null, SignInRefusal.Locked);
        if (Hasher.VerifyHashedPassword(user.Name, user.PasswordHash, password ?? "") == PasswordVerificationResult.Failed)
        {
            var after = await store.RecordSignInFailureAsync(user.Name, MaxFailures, LockFor, ct).ConfigureAwait(false);
            return (null, after?.LockedUntil is { } locked && locked > time.GetUtcNow() ? SignInRefusal.Locked : SignInRefusal.WrongNameOrPassword);
        }
        await store.ResetSignInFailuresAsync(user.Name, ct).ConfigureAwait(false);
        return (PrincipalOf(user), null);
    }

    public static ClaimsPrincipal PrincipalOf(ConsoleUser user) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, user.Name),
            new Claim(ClaimTypes.Role, user.Role),
            .. ConsoleRoles.ScopesOf(user.Role).Select(s => new Claim(Scopes.ClaimType, s)),
        ], CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>Whether <paramref name="given"/> is the admin API key (constant time), for the first-run set-up page.</summary>
    public static bool IsAdminKey(string? given, string adminKey) =>
        given is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given.Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(adminKey)));
}
