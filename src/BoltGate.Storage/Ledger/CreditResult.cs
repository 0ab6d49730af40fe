using BoltGate.Core.Money;
using BoltGate.Storage.Cards;

namespace BoltGate.Storage.Ledger;

/// <summary>The outcome of an operator's credit: the card as it now is, or why nothing changed.</summary>
public abstract record CreditResult
{
    private CreditResult()
    {
    }

    /// <summary>The balance went up by the amount, with a <see cref="LedgerKind.TopUp"/> entry in the same transaction.</summary>
    public sealed record Done(Card Card) : CreditResult;

    /// <summary>The balance would have gone above <see cref="BoltGateStore.MaxBalance"/>; it is left as it was.</summary>
    public sealed record AboveMaximum(Msat Balance) : CreditResult;

    public sealed record CardNotFound : CreditResult;
}
