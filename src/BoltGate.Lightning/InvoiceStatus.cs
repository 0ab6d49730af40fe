using BoltGate.Core.Money;

namespace BoltGate.Lightning;

public enum InvoiceState
{
    Open,
    Paid,
    Expired,
    Canceled,
}

/// <summary>State of an invoice created by this node. <see cref="AmountReceived"/> and <see cref="PaidAt"/> are set when paid.</summary>
public sealed record InvoiceStatus(InvoiceState State, Msat? AmountReceived, DateTimeOffset? PaidAt);
