using BoltGate.Server.Web;
using BoltGate.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace BoltGate.Server.Pages.Console;

/// <summary>Sign-in: limited per address, and an account locks after <see cref="ConsoleUsers.MaxFailures"/> wrong passwords.</summary>
public sealed class LoginModel(ConsoleUsers users, ConsoleLimits limits, BoltGateStore store) : ConsolePageModel
{
    public string? Name { get; set; }

    public string? ReturnUrl { get; set; }

    public bool NoUsers { get; set; }

    public async Task OnGetAsync(string? returnUrl, CancellationToken ct)
    {
        ReturnUrl = returnUrl;
        NoUsers = await store.CountConsoleUsersAsync(ct) == 0;
    }

    public async Task<IActionResult> OnPostAsync(string? name, string? password, string? returnUrl, CancellationToken ct)
    {
        Name = name;
        ReturnUrl = returnUrl;
        if (!limits.SignIn.TryTake(HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown"))
            return await FailedAsync("Too many sign-in attempts from here; wait a minute.", StatusCodes.Status429TooManyRequests);
        var (user, refusal) = await users.SignInAsync(name, password, ct);
        if (user is null)
        {
            return await FailedAsync(refusal == SignInRefusal.Locked
                ? $"This account is locked after {ConsoleUsers.MaxFailures} wrong passwords; try again in {ConsoleUsers.LockFor.TotalMinutes:0} minutes."
                : "Wrong user name or password.", StatusCodes.Status401Unauthorized);
        }
        await HttpContext.SignInAsync(ConsoleSetup.Cookie, user);
        return LocalRedirect(returnUrl is { } r && Url.IsLocalUrl(r) && r.StartsWith("/console", StringComparison.Ordinal) ? r : "/console");
    }
}
