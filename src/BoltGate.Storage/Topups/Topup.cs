using BoltGate.Core.Money;

namespace BoltGate.Storage.Topups;

/// <summary>Where a Lightning top-up stands: its invoice is open, was paid (and the card credited), or expired unpaid.</summary>
public enum TopupState
{
    Open,
    Paid,
    Expired,
}

/// <summary>
/// A Lightning top-up: an invoice on the gateway's node whose payment credits <see cref="CardId"/> once.
/// <see cref="Received"/> is what the node reports received (at least <see cref="Amount"/>); it is what the card is credited.
/// </summary>
public sealed record Topup(
    string Id,
    string CardId,
    string PaymentHashHex,
    string Bolt11,
    Msat Amount,
    TopupState State,
    Msat? Received,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? PaidAt);

/// <summary>What marking a top-up paid did: credited the card now, found it credited already, or found no such top-up.</summary>
public enum TopupPaidResult
{
    Credited,
    AlreadyCredited,
    NotFound,
}
