using BoltGate.Server.Webhooks;
using BoltGate.Storage.Webhooks;
using Microsoft.AspNetCore.Mvc;

namespace BoltGate.Server.Pages.Console;

/// <summary>The deliveries of one webhook, refreshed every two seconds.</summary>
public sealed record WebhookLive(string WebhookId, IReadOnlyList<DeliveryWithAttempts> Deliveries)
{
    /// <summary>How many deliveries the page shows, newest first.</summary>
    public const int Shown = 50;
}

/// <summary>
/// One webhook (<see cref="WebhookService"/>): what it receives, its delivery log live (event, state, attempts, the
/// last answer), a redelivery by hand, and deleting it after a confirm step. Console role <c>admin</c> only, as the
/// API's scope <c>admin</c> (its policy in ConsoleSetup).
/// </summary>
public sealed class WebhookModel(WebhookService webhooks) : ConsolePageModel
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    public Webhook? Webhook { get; private set; }

    public WebhookLive? Live { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Webhook is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnGetLiveAsync(CancellationToken ct) =>
        await LiveAsync(ct) is { } live ? Partial("_WebhookLive", live) : NotFound();

    protected override async Task LoadAsync(CancellationToken ct)
    {
        Webhook = (await webhooks.GetAsync(Id, ct)).Value;
        if (Webhook is not null)
            Live = await LiveAsync(ct);
    }

    public async Task<IActionResult> OnPostRedeliverAsync(string? deliveryId, CancellationToken ct)
    {
        var redone = await webhooks.RedeliverAsync(Id, deliveryId ?? "", ct);
        if (redone.Error is { } error)
            return await FailedAsync(Say(error), StatusCodes.Status404NotFound);
        return Done($"{redone.Value!.EventType} (event {redone.Value.EventId:N0}) will be sent again in a moment.", null, new { id = Id });
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        var url = (await webhooks.GetAsync(Id, ct)).Value?.Url;
        var deleted = await webhooks.DeleteAsync(Id, ct);
        return deleted.Error is { } error
            ? await FailedAsync(Say(error), StatusCodes.Status404NotFound)
            : Done($"Webhook to {url} deleted: no more events go there.", "/Console/Webhooks");
    }

    private async Task<WebhookLive?> LiveAsync(CancellationToken ct) =>
        (await webhooks.DeliveriesAsync(Id, WebhookLive.Shown, ct)) is { Value: { } list } ? new WebhookLive(Id, list) : null;
}
