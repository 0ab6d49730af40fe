namespace BoltGate.Storage.Programming;

/// <summary>Why redeeming a programming code did nothing (the code stays unspent unless it was already used).</summary>
public enum ProgrammingRefusal
{
    CodeUnknown,
    CodeExpired,
    CodeUsed,

    /// <summary>Program: a card with this UID is active here; it must be reset first.</summary>
    CardActive,

    /// <summary>Program: the UID belongs to an imported card, whose keys the issuer key cannot derive.</summary>
    CardImported,

    /// <summary>Reset: the card vanished between the tap check and the reset.</summary>
    CardNotFound,

    /// <summary>Reset: the tap's counter is not above the last one used.</summary>
    Replay,
}
