using BoltGate.Core.Crypto;
using BoltGate.Core.Money;

namespace BoltGate.Lightning;

/// <summary>An invoice this node created and will be paid to.</summary>
public sealed record CreatedInvoice(string Bolt11, Bytes32 PaymentHash, Msat Amount, DateTimeOffset ExpiresAt);
