using BoltGate.Core.Payments;
using BoltGate.Storage;
using BoltGate.Storage.Operators;
using BoltGate.Storage.Withdrawals;
using Microsoft.AspNetCore.Mvc;

namespace BoltGate.Server.Pages.Console;

public sealed class WithdrawalsModel(BoltGateStore store) : ConsolePageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "state")]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true, Name = "card")]
    public string? CardId { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public Page<Withdrawal> List { get; private set; } = new([], 0, 0, PageSize);

    public IReadOnlyList<Withdrawal> InFlight { get; private set; } = [];

    public long PageCount => Math.Max(1, (List.Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Max(1, PageNumber);
        WithdrawalState[] states = State switch
        {
            "paid" => [WithdrawalState.Succeeded],
            "refunded" => [WithdrawalState.Failed],
            "open" => IndexModel.InFlightStates,
            _ => [],
        };
        List = await store.ListAllWithdrawalsPageAsync(states, CardId, (PageNumber - 1) * PageSize, PageSize, ct);
        InFlight = (await store.ListAllWithdrawalsPageAsync(IndexModel.InFlightStates, null, 0, 50, ct)).Items;
    }

    /// <summary>The live in-flight list (htmx polls it on the overview and here).</summary>
    public async Task<IActionResult> OnGetInFlightAsync(CancellationToken ct) =>
        Partial("_InFlight", (await store.ListAllWithdrawalsPageAsync(IndexModel.InFlightStates, null, 0, 50, ct)).Items);
}
