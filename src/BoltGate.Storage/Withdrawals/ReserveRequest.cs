using BoltGate.Core.Crypto;
using BoltGate.Core.Money;

namespace BoltGate.Storage.Withdrawals;

/// <summary>Everything the callback's single transaction needs: which offer, which invoice, how much.</summary>
public sealed record ReserveRequest(
    string K1,
    string Bolt11,
    Bytes32 PaymentHash,
    Msat Amount,
    Msat FeeReserve,
    DateTimeOffset Deadline);
