namespace BoltGate.Core.Bolt11;

/// <summary>
/// Why an invoice was rejected. Stable names: a POS or a log line can act on them.
/// Checks run in the order bech32, hrp, structure, signature, semantic, features, so an
/// invoice with several defects reports the first stage that fails.
/// </summary>
public enum Bolt11ErrorCode
{
    // bech32
    Empty,
    TooLong,
    BadBech32,
    InvalidCharacter,
    MixedCase,
    NoSeparator,
    BadChecksum,

    // human-readable part
    BadHrp,
    UnknownNetwork,
    BadAmount,
    SubMillisatoshi,

    // structure of the data part
    TooShort,
    TruncatedField,
    BadFieldLength,
    NonMinimalField,
    FieldOutOfRange,
    BadDescription,
    BadPayeeKey,
    BadFallback,
    BadRouteHint,
    DuplicatePayeeKey,

    // signature
    InvalidRecoveryId,
    InvalidSignature,
    SignatureNotRecoverable,
    HighS,
    PayeeMismatch,

    // semantic
    MissingPaymentHash,
    DuplicatePaymentHash,
    MissingPaymentSecret,
    MissingDescription,
    BothDescriptionAndHash,
    DuplicateField,

    // features
    UnknownRequiredFeature,
    MissingFeatureDependency,
}
