using System.Text.Json;
using BoltGate.Server.Auth;
using BoltGate.Server.Cards;
using BoltGate.Server.Lnurl;
using BoltGate.Server.Programming;
using BoltGate.Server.Web;
using Microsoft.AspNetCore.Mvc;

namespace BoltGate.Server.Pages.Console;

/// <summary>One-time programming links as QR and deeplinks (ProgrammingService), and an admin's wipe QR (the card's keys).</summary>
public sealed class ProgrammingModel(ProgrammingService programming, CardService cards, PublicUrls urls) : ConsolePageModel
{
    public ProgrammingLinkResponse? Link { get; private set; }

    public string? LinkName { get; private set; }

    public WipeResponse? Wipe { get; private set; }

    public string? WipeJson { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? wipe, CancellationToken ct)
    {
        if (!User.Can(Scopes.CardsWrite))
            return await NotAllowedAsync("program cards");
        if (wipe is not null)
        {
            if (!User.IsAdmin())
                return await NotAllowedAsync("see a card's keys");
            var keys = await cards.WipeKeysAsync(wipe, ct);
            if (keys.Error is { } error)
                return await FailedAsync(Say(error), StatusCodes.Status404NotFound);
            Wipe = WipeResponse.From(keys.Value!.Card.Id, keys.Value.Card.UidHex, keys.Value.Keys);
            WipeJson = JsonSerializer.Serialize(Wipe);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? name, long? perTapLimitSat, long? dailyLimitSat, int? expiresInMinutes, bool[]? uidPrivacy,
        CancellationToken ct)
    {
        if (!User.Can(Scopes.CardsWrite))
            return await NotAllowedAsync("program cards");
        var issued = await programming.IssueLinkAsync(name, perTapLimitSat, dailyLimitSat, uidPrivacy is { Length: > 0 } p && p[0],
            expiresInMinutes, ct);
        if (issued.Error is { } error)
            return await FailedAsync(Say(error));
        Link = ProgrammingEndpoints.LinkResponse(urls.Base(Request), issued.Value!);
        LinkName = string.IsNullOrWhiteSpace(name) ? "card" : name.Trim();
        return Page();
    }
}
