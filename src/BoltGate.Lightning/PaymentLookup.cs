using BoltGate.Core.Payments;

namespace BoltGate.Lightning;

/// <summary>
/// The answer to "what happened to the payment with this hash?". Three distinct cases, because the
/// reconciler acts differently on each:
/// <list type="bullet">
/// <item><see cref="Found"/>: the node knows the payment; its <see cref="PaymentOutcome"/> says whether it is final.</item>
/// <item><see cref="NotFound"/>: the node has no record: it never sent anything for this hash (refund or re-send is safe).</item>
/// <item><see cref="Unavailable"/>: we could not ask (node down, error): nothing is known, ask again later.</item>
/// </list>
/// </summary>
public abstract record PaymentLookup
{
    private PaymentLookup()
    {
    }

    public sealed record Found(PaymentOutcome Outcome) : PaymentLookup;

    public sealed record NotFound(string NodeMessage) : PaymentLookup;

    public sealed record Unavailable(string Reason) : PaymentLookup;
}
