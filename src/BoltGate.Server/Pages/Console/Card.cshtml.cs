using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Server.Auth;
using BoltGate.Server.Cards;
using BoltGate.Server.Web;
using BoltGate.Storage;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Withdrawals;
using Microsoft.AspNetCore.Mvc;

namespace BoltGate.Server.Pages.Console;

/// <summary>One line of a card's history: a payment with its outcome in words, or a credit/debit.</summary>
public sealed record CardEvent(DateTimeOffset At, string Text, string Tone, string? WithdrawalId);

/// <summary>What the card page refreshes every two seconds: balance, today's use, history.</summary>
public sealed record CardLive(CardView View, Msat Held, IReadOnlyList<CardEvent> Events)
{
    public static async Task<CardLive> LoadAsync(CardService cards, CardView view, CancellationToken ct)
    {
        var withdrawals = (await cards.WithdrawalsAsync(view.Card.Id, 50, ct)).Value ?? [];
        var ledger = (await cards.LedgerAsync(view.Card.Id, ct)).Value ?? [];
        var events = new List<CardEvent>();
        foreach (var w in withdrawals)
        {
            var tone = w.State switch { WithdrawalState.Succeeded => "ok", WithdrawalState.Failed => "bad", _ => "" };
            events.Add(new CardEvent(w.ReservedAt, $"{Plain.StateLabel(w.State)}: {Plain.Outcome(w)}", tone, w.Id));
        }
        foreach (var e in ledger.Where(e => e.Kind is LedgerKind.TopUp or LedgerKind.Debit))
            events.Add(new CardEvent(e.CreatedAt, $"{Plain.Ledger(e)} ({(e.Amount.IsNegative ? "−" : "+")}{Plain.Sat(new Msat(Math.Abs(e.Amount.Value)))})", "", null));
        var held = withdrawals.Where(w => w.State is WithdrawalState.Reserved or WithdrawalState.Sending or WithdrawalState.InFlight)
            .Aggregate(Msat.Zero, (s, w) => s + w.Reserved);
        return new CardLive(view, held, events.OrderByDescending(e => e.At).Take(50).ToList());
    }
}

public sealed class CardModel(CardService cards, BoltGateStore store) : ConsolePageModel
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    public CardView? View { get; private set; }

    public CardLive? Live { get; private set; }

    public PaymentPolicy? Policy { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return View is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnGetLiveAsync(CancellationToken ct)
    {
        if ((await cards.GetAsync(Id, ct)).Value is not { } view)
            return NotFound();
        return Partial("_CardLive", await CardLive.LoadAsync(cards, view, ct));
    }

    protected override async Task LoadAsync(CancellationToken ct)
    {
        View = (await cards.GetAsync(Id, ct)).Value;
        if (View is not null)
        {
            Live = await CardLive.LoadAsync(cards, View, ct);
            Policy = await store.GetCardPaymentPolicyAsync(Id, ct);
        }
    }

    public Task<IActionResult> OnPostCreditAsync(long? amountSat, string? reason, CancellationToken ct) =>
        ActAsync(Scopes.FundsWrite, "move money", () => cards.CreditAsync(Id, amountSat, Reason(reason), ct),
            v => $"Credited {Plain.Sat(Msat.FromSat(amountSat ?? 0))}; the balance is {Plain.Sat(v.Card.Balance)}.");

    public Task<IActionResult> OnPostDebitAsync(long? amountSat, string? reason, CancellationToken ct) =>
        ActAsync(Scopes.FundsWrite, "move money", () => cards.DebitAsync(Id, amountSat, Reason(reason), ct),
            v => $"Debited {Plain.Sat(Msat.FromSat(amountSat ?? 0))}; the balance is {Plain.Sat(v.Card.Balance)}.");

    public Task<IActionResult> OnPostEnableAsync(CancellationToken ct) =>
        ActAsync(Scopes.CardsWrite, "change cards", () => cards.SetEnabledAsync(Id, true, ct), _ => "Card enabled.");

    public Task<IActionResult> OnPostDisableAsync(CancellationToken ct) =>
        ActAsync(Scopes.CardsWrite, "change cards", () => cards.SetEnabledAsync(Id, false, ct), _ => "Card disabled: taps are refused.");

    public Task<IActionResult> OnPostLimitsAsync(long? perTapLimitSat, long? dailyLimitSat, CancellationToken ct) =>
        ActAsync(Scopes.CardsWrite, "change cards", () => cards.SetLimitsAsync(Id, perTapLimitSat, dailyLimitSat, ct), _ => "Limits saved.");

    public Task<IActionResult> OnPostPinAsync(string? pin, long? pinLimitSat, CancellationToken ct) =>
        ActAsync(Scopes.CardsWrite, "change cards", () => cards.SetPinAsync(Id, pin, pinLimitSat, ct), _ => "PIN set.");

    public Task<IActionResult> OnPostClearPinAsync(CancellationToken ct) =>
        ActAsync(Scopes.CardsWrite, "change cards", () => cards.ClearPinAsync(Id, ct), _ => "PIN removed.");

    public Task<IActionResult> OnPostResetAsync(CancellationToken ct) =>
        ActAsync(Scopes.CardsWrite, "change cards", () => cards.MarkResetAsync(Id, ct),
            _ => "Marked as wiped: the card is disabled and its UID can be programmed again.");

    public async Task<IActionResult> OnPostPolicyAsync(string? policy, CancellationToken ct)
    {
        if (!User.Can(Scopes.CardsWrite))
            return await NotAllowedAsync("change cards");
        var set = await cards.SetPaymentPolicyAsync(Id, policy, ct);
        return set.Error is { } error ? await FailedAsync(Say(error)) : Done("Payment policy saved.", null, new { id = Id });
    }

    private async Task<IActionResult> ActAsync(string scope, string what, Func<Task<CardResult<CardView>>> act, Func<CardView, string> said)
    {
        if (!User.Can(scope))
            return await NotAllowedAsync(what);
        var result = await act();
        if (result.Error is { } error)
            return error.Kind == CardErrorKind.CardNotFound ? NotFound() : await FailedAsync(Say(error));
        return Done(said(result.Value!), null, new { id = Id });
    }

    private string Reason(string? reason) =>
        $"{(string.IsNullOrWhiteSpace(reason) ? "console" : reason.Trim())} (by {User.Identity?.Name})";
}
