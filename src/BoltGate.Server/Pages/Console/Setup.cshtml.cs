using BoltGate.Server.Secrets;
using BoltGate.Server.Web;
using BoltGate.Storage;
using Microsoft.AspNetCore.Mvc;

namespace BoltGate.Server.Pages.Console;

/// <summary>First run: whoever has the admin API key creates the first administrator; once any account exists the page is closed.</summary>
public sealed class SetupModel(ConsoleUsers users, ConsoleLimits limits, BoltGateStore store, GatewaySecrets secrets) : ConsolePageModel
{
    public bool Closed { get; set; }

    public string? Name { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Closed = await store.CountConsoleUsersAsync(ct) > 0;

    public async Task<IActionResult> OnPostAsync(string? adminKey, string? name, string? password, CancellationToken ct)
    {
        Name = name;
        if (await store.CountConsoleUsersAsync(ct) > 0)
        {
            Closed = true;
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        if (!limits.SignIn.TryTake(HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown"))
            return await FailedAsync("Too many attempts from here; wait a minute.", StatusCodes.Status429TooManyRequests);
        if (!ConsoleUsers.IsAdminKey(adminKey, secrets.AdminApiKey))
            return await FailedAsync("That is not this gateway's admin key.", StatusCodes.Status401Unauthorized);
        if (await users.CreateAsync(name, password, ConsoleRoles.Admin, ct) is { } problem)
            return await FailedAsync(problem);
        return Done("Administrator created; sign in.", "/Console/Login");
    }
}
