using BoltGate.Server.Web;
using BoltGate.Storage;
using BoltGate.Storage.Operators;
using Microsoft.AspNetCore.Mvc;

namespace BoltGate.Server.Pages.Console;

/// <summary>Operator accounts (admins only, by the page's policy).</summary>
public sealed class UsersModel(ConsoleUsers users, BoltGateStore store) : ConsolePageModel
{
    public IReadOnlyList<ConsoleUser> Users { get; private set; } = [];

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    protected override async Task LoadAsync(CancellationToken ct) => Users = await store.ListConsoleUsersAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(string? name, string? password, string? role, CancellationToken ct) =>
        await users.CreateAsync(name, password, role, ct) is { } problem
            ? await FailedAsync(problem)
            : Done($"User {name!.Trim()} added as {role}.");

    public async Task<IActionResult> OnPostDeleteAsync(string? name, CancellationToken ct)
    {
        if (name is null || name == User.Identity?.Name)
            return await FailedAsync("You cannot delete your own account.");
        return await store.DeleteConsoleUserAsync(name, ct) ? Done($"User {name} deleted.") : await FailedAsync("No such user.", 404);
    }
}
