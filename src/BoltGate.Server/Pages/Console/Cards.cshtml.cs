using BoltGate.Server.Auth;
using BoltGate.Server.Cards;
using BoltGate.Server.Web;
using BoltGate.Storage;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Operators;
using Microsoft.AspNetCore.Mvc;

namespace BoltGate.Server.Pages.Console;

public sealed class CardsModel(BoltGateStore store, CardService cards) : ConsolePageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "state")]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public Page<Card> Cards { get; private set; } = new([], 0, 0, PageSize);

    public long PageCount => Math.Max(1, (Cards.Total + PageSize - 1) / PageSize);

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    protected override async Task LoadAsync(CancellationToken ct)
    {
        PageNumber = Math.Max(1, PageNumber);
        bool? enabled = State switch { "enabled" => true, "disabled" => false, _ => null };
        Cards = await store.ListCardsPageAsync(Q, enabled, (PageNumber - 1) * PageSize, PageSize, ct);
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
