namespace BoltGate.Storage.Withdrawals;

/// <summary>Who pays a successful withdrawal's routing fee (configuration, per gateway).</summary>
public enum FeePayer
{
    /// <summary>The card: charged the actual fee, at most the fee reserve; the rest of the reserve goes back.</summary>
    Card,

    /// <summary>The operator: the card pays only the amount and gets the whole fee reserve back.</summary>
    Operator,
}
