namespace BoltGate.Storage.Ledger;

/// <summary>
/// Kinds of balance movement; the signed amounts of a card's entries add up to its balance.
/// A withdrawal is: <see cref="Reservation"/> −(amount + fee reserve), then either
/// <see cref="Refund"/> +(amount + fee reserve) when it failed, or <see cref="FeeRelease"/>
/// +(fee reserve − charged fee) when it succeeded (the settlement: amount and fee stay spent).
/// <see cref="Debit"/> is the operator's: −amount taken off by hand.
/// </summary>
public enum LedgerKind
{
    TopUp,
    Reservation,
    Refund,
    FeeRelease,
    Debit,
}
