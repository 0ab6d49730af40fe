using BoltGate.Server.Cards;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BoltGate.Server.Pages.Console;

/// <summary>What every console page shares: a flash message after a redirect, and a refusal for a role that may not act.</summary>
public abstract class ConsolePageModel : PageModel
{
    /// <summary>The error of the last action, shown at the form.</summary>
    public string? Error { get; set; }

    protected IActionResult Done(string message, string? page = null, object? routeValues = null)
    {
        TempData["Flash"] = message;
        return page is null ? RedirectToPage(routeValues) : RedirectToPage(page, routeValues);
    }

    /// <summary>403 with the page and its reason: the role lacks <paramref name="what"/>.</summary>
    protected async Task<IActionResult> NotAllowedAsync(string what)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Error = $"Your role may not {what}.";
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    /// <summary>An action's error, shown on the page as it stands (status 400 unless given).</summary>
    protected async Task<IActionResult> FailedAsync(string error, int status = StatusCodes.Status400BadRequest)
    {
        Response.StatusCode = status;
        Error = error;
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    /// <summary>Loads what the page shows (also after a refused action).</summary>
    protected virtual Task LoadAsync(CancellationToken ct) => Task.CompletedTask;

    protected static string Say(CardError error) => error.Message;
}
