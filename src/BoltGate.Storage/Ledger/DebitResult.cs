using BoltGate.Core.Money;
using BoltGate.Storage.Cards;

namespace BoltGate.Storage.Ledger;

/// <summary>The outcome of an operator's debit: the card as it now is, or why nothing changed.</summary>
public abstract record DebitResult
{
    private DebitResult()
    {
    }

    /// <summary>The balance went down by the amount, with a <see cref="LedgerKind.Debit"/> entry in the same transaction.</summary>
    public sealed record Done(Card Card) : DebitResult;

    /// <summary>The balance (what is not reserved for withdrawals) is below the amount; it is left as it was.</summary>
    public sealed record InsufficientBalance(Msat Balance) : DebitResult;

    public sealed record CardNotFound : DebitResult;
}
