namespace BoltGate.Core.Lnurl;

/// <summary>Why a text is not a usable LNURL.</summary>
public enum LnurlErrorCode
{
    Empty,
    TooLong,
    BadBech32,
    MixedCase,
    BadChecksum,
    WrongHrp,
    InvalidPadding,
    NotUtf8,
    InvalidUrl,
    InsecureScheme,
    NotAnLnurl,
}
