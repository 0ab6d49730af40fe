using BoltGate.Server.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BoltGate.Server.Pages;

/// <summary>The card holder's page: a fresh tap (Web NFC or a pasted link) shows the balance; no withdrawal is ever opened.</summary>
public sealed class BalanceModel(HolderBalance balance) : PageModel
{
    public HolderView? View { get; private set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? tapUrl, CancellationToken ct)
    {
        var (view, refusal) = await balance.CheckAsync(tapUrl, HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", ct);
        View = view;
        Error = refusal;
        if (refusal is not null)
            Response.StatusCode = refusal == HolderBalance.TooMany ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest;
        return Page();
    }
}
