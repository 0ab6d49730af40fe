using BoltGate.Core.Bitcoin;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Payments;

/// <summary>
/// Whether a withdrawal may start: admitted (the funds are reserved and the payment may be driven), or
/// refused with a typed reason and nothing reserved.
/// </summary>
public abstract record AdmissionAnswer
{
    private AdmissionAnswer()
    {
    }

    /// <summary>
    /// Reserved in one transaction — already Sending under the engine's lease when admission took it that far —
    /// with the invoice as admission decoded it; hand it to <see cref="PaymentEngine.PayAsync(Admitted, TimeSpan?, CancellationToken)"/>.
    /// </summary>
    public sealed record Admitted(Withdrawal Withdrawal, Bolt11Invoice? Invoice = null, PaymentPolicy? Policy = null) : AdmissionAnswer;

    /// <summary>Nothing was reserved; the k1 stays unused.</summary>
    public abstract record Refused : AdmissionAnswer;

    /// <summary>The session, the card, its limits or balance, or the invoice's single use say no (the store's words).</summary>
    public sealed record Rejected(ReserveRejection Reason) : Refused;

    /// <summary>The invoice is not a BOLT11 invoice we can read.</summary>
    public sealed record InvoiceInvalid : Refused;

    /// <summary>The invoice is for another Bitcoin network than our node's.</summary>
    public sealed record WrongNetwork(BitcoinNetwork Invoice, BitcoinNetwork Node) : Refused;

    /// <summary>The invoice names no amount, or zero.</summary>
    public sealed record NoAmount : Refused;

    public sealed record BelowMinimum(Msat Minimum) : Refused;

    public sealed record InvoiceExpired : Refused;

    /// <summary>The invoice has not expired but leaves less than <paramref name="Needed"/> for the payment.</summary>
    public sealed record ExpiresTooSoon(TimeSpan Needed) : Refused;

    /// <summary>Our node cannot be reached to learn its network.</summary>
    public sealed record NodeUnavailable : Refused;

    /// <summary>The caller's own check (the PIN) said no; the caller knows why.</summary>
    public sealed record NotAuthorized : Refused;

    /// <summary>The pre-flight knows the payment would fail (a payee with no route): the node's words.</summary>
    public sealed record PaymentFailed(FailureKind Kind, string NodeMessage) : Refused;
}
