using BoltGate.Core.Crypto;
using BoltGate.Core.Money;

namespace BoltGate.Core.Payments;

/// <summary>
/// What a Lightning node says about a payment, as a value. Exactly three shapes:
/// <list type="bullet">
/// <item><see cref="Succeeded"/>: the preimage is known; the payment is final.</item>
/// <item><see cref="Failed"/>: definitive: no HTLC of this payment can still settle, so refunding is safe.</item>
/// <item><see cref="Unknown"/>: may still settle (HTLC in flight, no record yet, node unreachable
/// mid-payment). Keep the reservation and track by payment hash.</item>
/// </list>
/// </summary>
public abstract record PaymentOutcome
{
    private PaymentOutcome()
    {
    }

    public sealed record Succeeded(Bytes32 Preimage, Msat Fee) : PaymentOutcome;

    public sealed record Failed(FailureKind Kind, string NodeMessage) : PaymentOutcome;

    public sealed record Unknown(string Reason) : PaymentOutcome;
}
