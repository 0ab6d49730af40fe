using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Server.Auth;
using BoltGate.Core.Bolt11;
using BoltGate.Server.Cards;
using BoltGate.Server.Topups;
using BoltGate.Server.Web;
using BoltGate.Storage;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Topups;
using BoltGate.Storage.Withdrawals;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

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

/// <summary>
/// A Lightning top-up as the card page shows it. The QR code holds <c>LIGHTNING:</c> and the invoice, all in
/// capitals: URI schemes and BOLT11 are case-insensitive, wallets scan either, and capitals let the code use
/// QR's alphanumeric mode (a smaller, easier code; LUD-01 and BOLT11 recommend it). <see cref="Expired"/> is
/// also true for an invoice past its expiry that the watcher has not marked yet.
/// </summary>
public sealed record TopupView(Topup Topup, string? Memo, DateTimeOffset Now)
{
    public string QrText => "LIGHTNING:" + Topup.Bolt11.ToUpperInvariant();

    public bool Paid => Topup.State == TopupState.Paid;

    public bool Expired => !Paid && (Topup.State == TopupState.Expired || Topup.ExpiresAt <= Now);

    public bool Waiting => !Paid && !Expired;

    /// <summary>The view of <paramref name="topup"/> at <paramref name="now"/>; the memo is read back from the invoice's description.</summary>
    public static TopupView Of(Topup topup, string cardName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(topup);
        var description = Bolt11Decoder.Decode(topup.Bolt11) is Bolt11DecodeResult.Ok ok ? ok.Invoice.Description : null;
        return new TopupView(topup, TopupService.MemoOf(description, cardName), now);
    }
}

public sealed class CardModel(CardService cards, BoltGateStore store, TopupService topups, IOptions<TopupOptions> topupOptions, TimeProvider time)
    : ConsolePageModel
{
    public long MaxTopupSat => topupOptions.Value.MaxAmountSat;

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    /// <summary>The top-up whose invoice the page shows (after "Make invoice", or from a link).</summary>
    [BindProperty(SupportsGet = true, Name = "topup")]
    public string? TopupId { get; set; }

    public TopupView? Topup { get; private set; }

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
            Topup = await TopupOfThisCardAsync(TopupId, ct) is { } t ? TopupView.Of(t, View.Card.Name, time.GetUtcNow()) : null;
        }
    }

    private async Task<Topup?> TopupOfThisCardAsync(string? topupId, CancellationToken ct) =>
        !string.IsNullOrWhiteSpace(topupId) && (await topups.GetAsync(topupId, ct)).Value is { } t && t.CardId == Id ? t : null;

    /// <summary>The top-up's state, polled by htmx until it is paid or expired; the state shows no memo, so none is read.</summary>
    public async Task<IActionResult> OnGetTopupStateAsync(string? topupId, CancellationToken ct) =>
        await TopupOfThisCardAsync(topupId, ct) is { } t ? PolledPartial(new TopupView(t, null, time.GetUtcNow())) : NotFound();

    private PartialViewResult PolledPartial(TopupView view)
    {
        var partial = Partial("_TopupState", view);
        partial.ViewData["Polled"] = true;
        return partial;
    }

    /// <summary>Makes a top-up invoice on the node and shows it (scope funds:write, as a credit).</summary>
    public async Task<IActionResult> OnPostTopupAsync(long? topupSat, string? memo, CancellationToken ct)
    {
        if (!User.Can(Scopes.FundsWrite))
            return await NotAllowedAsync("move money");
        var created = await topups.CreateAsync(Id, topupSat, ct, memo);
        if (created.Error is { } error)
        {
            return error.Kind == CardErrorKind.CardNotFound ? NotFound()
                : await FailedAsync(Say(error), error.Kind == CardErrorKind.NodeUnavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status400BadRequest);
        }
        var t = created.Value!;
        return Done($"Invoice for {Plain.Sat(t.Amount)} made: pay it with a Lightning wallet.", null, new { id = Id, topup = t.Id });
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
