namespace BoltGate.Nfc.Pcsc;

/// <summary>PC/SC return codes the tool acts on (same values on pcsc-lite, WinSCard and macOS).</summary>
internal static class PcscError
{
    public const uint Success = 0;
    public const uint Cancelled = 0x80100002;
    public const uint InvalidHandle = 0x80100003;
    public const uint Timeout = 0x8010000A;
    public const uint SharingViolation = 0x8010000B;
    public const uint NoSmartcard = 0x8010000C;
    public const uint UnknownReader = 0x80100009;
    public const uint ReaderUnavailable = 0x80100017;
    public const uint NoService = 0x8010001D;
    public const uint ServiceStopped = 0x8010001E;
    public const uint NoReadersAvailable = 0x8010002E;
    public const uint UnresponsiveCard = 0x80100066;
    public const uint UnpoweredCard = 0x80100067;
    public const uint ResetCard = 0x80100068;
    public const uint RemovedCard = 0x80100069;

    public static string Describe(uint code) => code switch
    {
        Cancelled => "cancelled",
        Timeout => "timeout",
        SharingViolation => "the card is in use by another program",
        NoSmartcard => "no card on the reader",
        UnknownReader => "unknown reader",
        ReaderUnavailable => "reader unavailable",
        NoService or ServiceStopped => "the PC/SC service (pcscd) is not running",
        NoReadersAvailable => "no readers connected",
        UnresponsiveCard or UnpoweredCard => "the card does not answer",
        ResetCard => "the card was reset",
        RemovedCard => "the card was removed",
        _ => "PC/SC error",
    };

    public static bool MeansCardGone(uint code) =>
        code is RemovedCard or ResetCard or NoSmartcard or UnresponsiveCard or UnpoweredCard or ReaderUnavailable;
}
