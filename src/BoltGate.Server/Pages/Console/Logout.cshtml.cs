using BoltGate.Server.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace BoltGate.Server.Pages.Console;

public sealed class LogoutModel : ConsolePageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(ConsoleSetup.Cookie);
        return Redirect("/console/login");
    }
}
