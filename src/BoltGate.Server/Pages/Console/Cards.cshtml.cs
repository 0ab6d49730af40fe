using BoltGate.Server.Auth;
using BoltGate.Server.Cards;
using BoltGate.Server.Web;
using BoltGate.Storage.Listing;
using Microsoft.AspNetCore.Mvc;

namespace BoltGate.Server.Pages.Console;

/// <summary>
/// The card list: the operator API's listing (<see cref="CardService.ListAsync"/>: name, id or UID, status,
/// newest first, keyset pages) shown a page at a time; "Next page" carries the cursor, "Previous page" the
/// cursors of the pages before it.
/// </summary>
public sealed class CardsModel(CardService cards) : ConsolePageModel
{
    public const int PageSize = 25;

    /// <summary>The status filters the page offers, by their query value.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> States =
        [("", "all cards"), ("active", "active"), ("disabled", "disabled"), ("locked", "locked (PIN)"), ("wiped", "wiped")];

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "state")]
    public string? State { get; set; }

    /// <summary>Where this page starts (the API's cursor); none for the first page.</summary>
    [BindProperty(SupportsGet = true, Name = "after")]
    public string? After { get; set; }

    /// <summary>The cursors of the pages before this one, oldest first, comma-separated (empty for the second page's first).</summary>
    [BindProperty(SupportsGet = true, Name = "back")]
    public string? Back { get; set; }

    public IReadOnlyList<CardSummary> Cards { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public int PageNumber => string.IsNullOrEmpty(After) ? 1 : BackCursors.Count + 2;

    private List<string> BackCursors => string.IsNullOrEmpty(Back) ? [] : [.. Back.Split(',')];

    /// <summary>The query string of another page of the same search.</summary>
    public string PageLink(string? after, IEnumerable<string> back) =>
        $"?q={Uri.EscapeDataString(Q ?? "")}&state={Uri.EscapeDataString(State ?? "")}" +
        (after is null ? "" : $"&after={Uri.EscapeDataString(after)}") +
        (back.Any() ? $"&back={Uri.EscapeDataString(string.Join(',', back))}" : "");

    public string NextLink => PageLink(NextCursor, string.IsNullOrEmpty(After) ? [] : [.. BackCursors, After]);

    /// <summary>The page before this one: the last cursor in <see cref="Back"/>, or the first page.</summary>
    public string PreviousLink
    {
        get
        {
            var back = BackCursors;
            if (PageNumber <= 2)
                return PageLink(null, []);
            var last = back[^1];
            back.RemoveAt(back.Count - 1);
            return PageLink(last, back);
        }
    }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    protected override async Task LoadAsync(CancellationToken ct)
    {
        // "enabled" is what links from before the shared listing say for active cards.
        var status = State switch { null or "" => null, "enabled" => "active", var s => s };
        var page = await cards.ListAsync(string.IsNullOrWhiteSpace(Q) ? null : Q.Trim(), status, "created", PageSize,
            string.IsNullOrEmpty(After) ? null : After, ct);
        if (page.Error is { } error)
        {
            Error ??= Say(error);
            return;
        }
        Cards = page.Value!.Items;
        NextCursor = PageCursors.Encode(page.Value.Next);
    }

    public async Task<IActionResult> OnPostCreateAsync(string? name, string? uid, long? perTapLimitSat, long? dailyLimitSat, CancellationToken ct)
    {
        if (!User.Can(Scopes.CardsWrite))
            return await NotAllowedAsync("create cards");
        var created = await cards.CreateAsync(name, string.IsNullOrWhiteSpace(uid) ? null : uid.Trim(), perTapLimitSat, dailyLimitSat, ct);
        return created.Error is { } error
            ? await FailedAsync(Say(error))
            : Done($"Card “{created.Value!.Card.Name}” created.", "/Console/Card", new { id = created.Value.Card.Id });
    }

    public async Task<IActionResult> OnPostImportAsync(string? name, string? uid, string?[] keys, int? keyVersion, CancellationToken ct)
    {
        if (!User.Can(Scopes.CardsWrite))
            return await NotAllowedAsync("import cards");
        var imported = await cards.ImportAsync(name, string.IsNullOrWhiteSpace(uid) ? null : uid.Trim(), keys, keyVersion, null, null, ct);
        return imported.Error is { } error
            ? await FailedAsync(Say(error))
            : Done($"Card “{imported.Value!.Card.Name}” imported.", "/Console/Card", new { id = imported.Value.Card.Id });
    }

    public async Task<IActionResult> OnPostBulkAsync(int count, string? prefix, long? perTapLimitSat, long? dailyLimitSat, CancellationToken ct)
    {
        if (!User.Can(Scopes.CardsWrite))
            return await NotAllowedAsync("create cards");
        if (count is < 1 or > 100)
            return await FailedAsync("A batch has 1 to 100 cards.");
        var name = string.IsNullOrWhiteSpace(prefix) ? "card" : prefix.Trim();
        for (var i = 1; i <= count; i++)
        {
            var created = await cards.CreateAsync($"{name} {i:000}", null, perTapLimitSat, dailyLimitSat, ct);
            if (created.Error is { } error)
                return await FailedAsync($"Stopped after {i - 1} cards: {Say(error)}");
        }
        Q = name;
        return Done($"{count} cards “{name} 001” to “{name} {count:000}” created; program each with a link from Programming.", null, new { q = name });
    }
}
