using BoltGate.Core.Money;
using BoltGate.Core.Payments;

namespace BoltGate.Storage.Withdrawals;

/// <summary>
/// A withdrawal from the callback on: the reservation (amount + fee reserve), its state and the
/// timestamp of each transition. <see cref="Fee"/> is the node's actual fee once it succeeded.
/// </summary>
public sealed record Withdrawal(
    string Id,
    string CardId,
    string K1,
    string Bolt11,
    string PaymentHashHex,
    Msat Amount,
    Msat FeeReserve,
    Msat? Fee,
    WithdrawalState State,
    string? FailureCode,
    string? NodeMessage,
    DateTimeOffset Deadline,
    int Attempts,
    string? PreimageHex,
    string? LeaseOwner,
    DateTimeOffset? LeaseUntil,
    DateTimeOffset ReservedAt,
    DateTimeOffset? SendingAt,
    DateTimeOffset? InFlightAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>What the card holds back for this withdrawal while it is not final.</summary>
    public Msat Reserved => Amount + FeeReserve;
}
