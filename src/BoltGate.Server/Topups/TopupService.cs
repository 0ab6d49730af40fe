using BoltGate.Core.Money;
using BoltGate.Lightning;
using BoltGate.Server.Cards;
using BoltGate.Storage;
using BoltGate.Storage.Topups;
using Microsoft.Extensions.Options;

namespace BoltGate.Server.Topups;

/// <summary>The <c>Topups:*</c> settings.</summary>
public sealed class TopupOptions
{
    /// <summary>How long a top-up invoice can be paid.</summary>
    public TimeSpan InvoiceExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The largest top-up, in sat.</summary>
    public long MaxAmountSat { get; set; } = 10_000_000;
}

/// <summary>Creates top-ups: an invoice on the gateway's node for a card, recorded open and watched until paid or expired.</summary>
public sealed class TopupService(BoltGateStore store, ILightningNode node, TopupWatcher watcher, IOptions<TopupOptions> options)
{
    /// <summary>The longest memo a top-up invoice carries (BOLT11 allows 639 bytes of description).</summary>
    public const int MaxMemoLength = 200;

    private const string DescriptionPrefix = "BoltGate top-up of card ";

    /// <summary>The invoice's description: the card's name, and the memo after it when there is one.</summary>
    public static string Description(string cardName, string? memo) =>
        memo is null ? DescriptionPrefix + cardName : $"{DescriptionPrefix}{cardName}: {memo}";

    /// <summary>The memo <see cref="Description"/> put after <paramref name="cardName"/>, or null when there is none.</summary>
    public static string? MemoOf(string? description, string cardName)
    {
        var prefix = $"{DescriptionPrefix}{cardName}: ";
        return description is not null && description.StartsWith(prefix, StringComparison.Ordinal) ? description[prefix.Length..] : null;
    }

    /// <summary>Creates the invoice; <paramref name="memo"/>, when given, goes into its description after the card's name.</summary>
    public async Task<CardResult<Topup>> CreateAsync(string cardId, long? amountSat, CancellationToken ct, string? memo = null)
    {
        var max = options.Value.MaxAmountSat;
        if (amountSat is not { } sat || sat < 1 || sat > max)
            return CardError.Invalid($"amountSat must be 1..{max}.");
        memo = string.IsNullOrWhiteSpace(memo) ? null : memo.Trim();
        if (memo is { Length: > MaxMemoLength })
            return CardError.Invalid($"The memo must be at most {MaxMemoLength} characters.");
        var card = await store.GetCardAsync(cardId, ct);
        if (card is null)
            return CardError.CardNotFound($"No card {cardId}.");
        CreatedInvoice invoice;
        try
        {
            invoice = await node.CreateInvoiceAsync(Msat.FromSat(sat), Description(card.Name, memo), options.Value.InvoiceExpiry, ct);
        }
        catch (Exception e) when (e is LightningNodeException or HttpRequestException or IOException or TimeoutException)
        {
            return new CardError(CardErrorKind.NodeUnavailable, "The Lightning node did not create the invoice: " + e.Message);
        }
        var topup = await store.CreateTopupAsync(card.Id, invoice.PaymentHash.ToHex(), invoice.Bolt11, invoice.Amount, invoice.ExpiresAt, ct);
        if (topup is null)
            return CardError.CardNotFound($"No card {cardId}.");
        watcher.Watch(topup);
        return topup;
    }

    public async Task<CardResult<IReadOnlyList<Topup>>> ListAsync(string cardId, CancellationToken ct) =>
        await store.GetCardAsync(cardId, ct) is null
            ? CardError.CardNotFound($"No card {cardId}.")
            : CardResult<IReadOnlyList<Topup>>.Of(await store.ListTopupsAsync(cardId, 100, ct));

    public async Task<CardResult<Topup>> GetAsync(string id, CancellationToken ct) =>
        await store.GetTopupAsync(id, ct) is { } t ? t : new CardError(CardErrorKind.NotFound, $"No top-up {id}.");
}
