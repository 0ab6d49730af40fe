namespace BoltGate.Nfc.Ntag424;

/// <summary>Status words of the NTAG 424 DNA (native CLA 90 → 91xx, ISO CLA 00 → 9000 / 6xxx).</summary>
public static class StatusWords
{
    public const ushort Ok = 0x9100;
    public const ushort AdditionalFrame = 0x91AF;
    public const ushort IllegalCommand = 0x911C;
    public const ushort IntegrityError = 0x911E;
    public const ushort NoSuchKey = 0x9140;
    public const ushort LengthError = 0x917E;
    public const ushort PermissionDenied = 0x919D;
    public const ushort ParameterError = 0x919E;
    public const ushort AuthenticationDelay = 0x91AD;
    public const ushort AuthenticationError = 0x91AE;
    public const ushort BoundaryError = 0x91BE;
    public const ushort CommandAborted = 0x91CA;
    public const ushort FileNotFound = 0x91F0;
    public const ushort IsoOk = 0x9000;
    public const ushort IsoWrongLength = 0x6700;
    public const ushort IsoSecurityNotSatisfied = 0x6982;
    public const ushort IsoConditionsNotSatisfied = 0x6985;
    public const ushort IsoFileNotFound = 0x6A82;
    public const ushort IsoWrongParameters = 0x6A86;
    public const ushort IsoInsNotSupported = 0x6D00;
    public const ushort IsoClaNotSupported = 0x6E00;

    public static string Describe(ushort sw) => sw switch
    {
        Ok or IsoOk => "OK",
        AdditionalFrame => "additional frame",
        IllegalCommand => "illegal command code",
        IntegrityError => "integrity error (CRC/MAC/padding)",
        NoSuchKey => "no such key",
        LengthError => "length error",
        PermissionDenied => "permission denied",
        ParameterError => "parameter error",
        AuthenticationDelay => "authentication delay (too many failed attempts)",
        AuthenticationError => "authentication error",
        BoundaryError => "boundary error",
        CommandAborted => "command aborted",
        FileNotFound => "file not found",
        IsoWrongLength => "wrong length",
        IsoSecurityNotSatisfied => "security status not satisfied",
        IsoConditionsNotSatisfied => "conditions of use not satisfied",
        IsoFileNotFound => "file or application not found",
        IsoWrongParameters => "incorrect P1/P2",
        IsoInsNotSupported => "instruction not supported",
        IsoClaNotSupported => "class not supported",
        _ => "unknown status",
    };
}
