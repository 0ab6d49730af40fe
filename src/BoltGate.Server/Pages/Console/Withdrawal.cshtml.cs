using BoltGate.Server.Cards;
using BoltGate.Storage.Withdrawals;
using Microsoft.AspNetCore.Mvc;

namespace BoltGate.Server.Pages.Console;

public sealed class WithdrawalModel(CardService cards) : ConsolePageModel
{
    public Withdrawal? W { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        W = (await cards.GetWithdrawalAsync(id, ct)).Value;
        return W is null ? NotFound() : Page();
    }
}
