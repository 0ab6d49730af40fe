namespace BoltGate.Storage.Withdrawals;

/// <summary>Why the callback's transaction reserved nothing (and rolled back: the k1 stays unused).</summary>
public enum ReserveRejection
{
    K1Unknown,
    K1Expired,
    K1Used,
    CardNotFound,
    CardDisabled,
    CardLocked,
    /// <summary>The tap's counter is not above the card's last consumed counter.</summary>
    Replay,
    LimitPerTap,
    LimitDaily,
    InsufficientFunds,
    /// <summary>A withdrawal for this payment hash exists already.</summary>
    InvoiceAlreadyUsed,
}
