using BoltGate.Server.Webhooks;
using BoltGate.Storage.Outbox;
using BoltGate.Storage.Webhooks;
using Microsoft.AspNetCore.Mvc;

namespace BoltGate.Server.Pages.Console;

/// <summary>
/// The webhook endpoints (<see cref="WebhookService"/>, as the API's <c>/api/v1/webhooks</c>): list, add with the
/// signing secret shown once, and a link to each one's delivery log. Like the API's routes (scope <c>admin</c>),
/// the page is for the console role <c>admin</c> only (its policy in ConsoleSetup): an operator or viewer gets
/// the console's 403 and no nav link.
/// </summary>
public sealed class WebhooksModel(WebhookService webhooks) : ConsolePageModel
{
    /// <summary>What each event type means to someone picking them, in the order the docs list them.</summary>
    public static IReadOnlyList<(string Type, string Means)> EventChoices { get; } = OutboxEventTypes.All.Select(t => (t, t switch
    {
        OutboxEventTypes.WithdrawalSucceeded => "a payment was made",
        OutboxEventTypes.WithdrawalFailed => "a payment failed and was refunded",
        OutboxEventTypes.WithdrawalPending => "a payment's outcome is not known yet",
        OutboxEventTypes.CardCreated => "a card was created",
        OutboxEventTypes.CardCredited => "a card was credited",
        OutboxEventTypes.CardDisabled => "a card was disabled",
        OutboxEventTypes.CardWiped => "a card was wiped",
        OutboxEventTypes.TopupPaid => "a Lightning top-up was paid",
        _ => "",
    })).ToList();

    public IReadOnlyList<Webhook> Webhooks { get; private set; } = [];

    /// <summary>The webhook just added and its secret: on this answer only, never stored in a readable form for the page again.</summary>
    public CreatedWebhook? Created { get; private set; }

    /// <summary>What the add form held when it was refused, so the operator does not type it again.</summary>
    public string? EnteredUrl { get; private set; }

    public IReadOnlyList<string> Events { get; private set; } = [];

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    protected override async Task LoadAsync(CancellationToken ct) => Webhooks = await webhooks.ListAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(string? url, string[]? events, CancellationToken ct)
    {
        EnteredUrl = url?.Trim();
        Events = events ?? [];
        var created = await webhooks.CreateAsync(EnteredUrl, Events, ct);
        if (created.Error is { } error)
            return await FailedAsync(Say(error));
        Created = created.Value;
        EnteredUrl = null;
        Events = [];
        await LoadAsync(ct);
        return Page();
    }
}
