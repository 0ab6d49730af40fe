namespace BoltGate.Storage.Outbox;

/// <summary>The event types the store writes; stable names a webhook subscriber filters on.</summary>
public static class OutboxEventTypes
{
    /// <summary>A withdrawal settled: <c>withdrawal_id, card_id, amount_msat, fee_msat, payment_hash</c>.</summary>
    public const string WithdrawalSucceeded = "withdrawal.succeeded";

    /// <summary>A withdrawal failed definitively and was refunded: <c>..., failure_kind, node_message</c>.</summary>
    public const string WithdrawalFailed = "withdrawal.failed";

    /// <summary>A withdrawal's outcome is unknown; its funds stay held while it is tracked: <c>..., reason</c>.</summary>
    public const string WithdrawalPending = "withdrawal.pending";

    /// <summary>A card was created: <c>card_id, name, key_source, key_version</c>.</summary>
    public const string CardCreated = "card.created";

    /// <summary>A card was credited: <c>card_id, amount_msat, balance_msat</c>.</summary>
    public const string CardCredited = "card.credited";

    /// <summary>An enabled card was disabled: <c>card_id</c>.</summary>
    public const string CardDisabled = "card.disabled";

    /// <summary>A card was wiped (reset): disabled and recorded as reset at <c>key_version</c>.</summary>
    public const string CardWiped = "card.wiped";

    /// <summary>A Lightning top-up was paid and credited: <c>topup_id, card_id, amount_msat, balance_msat, payment_hash</c>.</summary>
    public const string TopupPaid = "topup.paid";

    /// <summary>Every type above, in the order the docs list them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [WithdrawalSucceeded, WithdrawalFailed, WithdrawalPending, CardCreated, CardCredited, CardDisabled, CardWiped, TopupPaid];
}
