using BoltGate.Server.Auth;
using BoltGate.Storage.ApiKeys;
using Microsoft.AspNetCore.Mvc;

namespace BoltGate.Server.Pages.Console;

/// <summary>
/// Named API keys with scopes (<see cref="ApiKeyService"/>, as the API's <c>/api/v1/keys</c>): list, create with the
/// key shown once, revoke. Like those routes (scope <c>admin</c>), the page is for the console role <c>admin</c>
/// only (its policy in ConsoleSetup): an operator or viewer gets the console's 403 and no nav link.
/// </summary>
public sealed class KeysModel(ApiKeyService keys) : ConsolePageModel
{
    /// <summary>The scopes a key may carry and what each allows, in words.</summary>
    public static IReadOnlyList<(string Scope, string Allows)> ScopeChoices { get; } = Scopes.All.Select(s => (s, s switch
    {
        Scopes.CardsRead => "read cards, their ledgers and withdrawals",
        Scopes.CardsWrite => "create, change, wipe and program cards",
        Scopes.FundsWrite => "move money: credit, debit, refund a waiting withdrawal",
        Scopes.Admin => "everything, webhooks and keys included",
        _ => "",
    })).ToList();

    public IReadOnlyList<StoredApiKey> Keys { get; private set; } = [];

    /// <summary>The key just created: on this answer only (the store keeps its hash).</summary>
    public CreatedApiKey? Created { get; private set; }

    public string? Name { get; private set; }

    public IReadOnlyList<string> Chosen { get; private set; } = [];

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    protected override async Task LoadAsync(CancellationToken ct) =>
        Keys = (await keys.ListAsync(ct)).OrderBy(k => k.Revoked).ThenByDescending(k => k.CreatedAt).ToList();

    public async Task<IActionResult> OnPostCreateAsync(string? name, string[]? scopes, CancellationToken ct)
    {
        Name = name;
        Chosen = scopes ?? [];
        var created = await keys.CreateAsync(name, Chosen, ct);
        if (created.Error is { } error)
            return await FailedAsync(Say(error));
        Created = created.Value;
        Name = null;
        Chosen = [];
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string? id, CancellationToken ct)
    {
        var revoked = await keys.RevokeAsync(id ?? "", ct);
        return revoked.Error is { } error
            ? await FailedAsync(Say(error), StatusCodes.Status404NotFound)
            : Done($"Key “{revoked.Value!.Name}” revoked: requests with it are refused from now on.");
    }
}
