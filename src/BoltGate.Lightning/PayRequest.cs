using BoltGate.Core.Crypto;
using BoltGate.Core.Money;

namespace BoltGate.Lightning;

/// <summary>
/// One payment to make. <see cref="Amount"/> is what the payee receives: the invoice's own amount,
/// or, for an invoice without one (<see cref="InvoiceHasAmount"/> false), the amount to send.
/// <see cref="MaxFee"/> caps routing fees. <see cref="Deadline"/> is absolute; the client converts it
/// to the node's own budget with its injected <see cref="TimeProvider"/>.
/// </summary>
public sealed record PayRequest(string Bolt11, Bytes32 PaymentHash, Msat Amount, Msat MaxFee, DateTimeOffset Deadline)
{
    public bool InvoiceHasAmount { get; init; } = true;
}
