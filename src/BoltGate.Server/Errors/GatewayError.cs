namespace BoltGate.Server.Errors;

/// <summary>Every reason the gateway refuses a tap or a callback. Codes and statuses: <see cref="ErrorCatalog"/>.</summary>
public enum GatewayError
{
    BadRequest,
    CardNotFound,
    TapInvalid,
    Replay,
    CardDisabled,
    CardLocked,
    K1Unknown,
    K1Expired,
    K1Used,
    InvoiceInvalid,
    InvoiceWrongNetwork,
    InvoiceExpired,
    InvoiceUsed,
    AmountOutOfRange,
    LimitTx,
    LimitDay,
    InsufficientFunds,
    PinRequired,
    PinWrong,
    PaymentFailed,
    NodeUnavailable,
    Unavailable,
    CodeUnknown,
    CodeExpired,
    CodeUsed,
    CardActive,
    CardImported,
    PublicUrlRequired,

    /// <summary>Too many requests or failures from this address or on this card; the answer says when to try again.</summary>
    RateLimited,
}
