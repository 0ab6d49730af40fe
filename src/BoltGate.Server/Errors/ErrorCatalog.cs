using BoltGate.Core.Lnurl;
using BoltGate.Core.Payments;
using BoltGate.Payments;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Server.Errors;

/// <summary>
/// The one place where a refusal becomes an HTTP status, a stable machine-readable code and a reason
/// a person can read. LNURL routes answer <c>{"status":"ERROR","reason":...,"code":...}</c>.
/// </summary>
public static class ErrorCatalog
{
    public sealed record Entry(int Status, string Code, string Reason);

    public static Entry Describe(GatewayError error) => error switch
    {
        GatewayError.BadRequest => new(400, "BAD_REQUEST", "The request is malformed."),
        GatewayError.CardNotFound => new(404, "CARD_NOT_FOUND", "This card is not known here."),
        GatewayError.TapInvalid => new(403, "TAP_INVALID", "The card's signature does not verify."),
        GatewayError.Replay => new(409, "REPLAY", "This tap was already used; tap the card again."),
        GatewayError.CardDisabled => new(403, "CARD_DISABLED", "This card is disabled."),
        GatewayError.CardLocked => new(403, "CARD_LOCKED", "This card is locked after too many wrong PINs."),
        GatewayError.K1Unknown => new(404, "K1_UNKNOWN", "Unknown withdrawal session; tap the card again."),
        GatewayError.K1Expired => new(410, "K1_EXPIRED", "The withdrawal session expired; tap the card again."),
        GatewayError.K1Used => new(409, "K1_USED", "The withdrawal session was already used; tap the card again."),
        GatewayError.InvoiceInvalid => new(400, "INVOICE_INVALID", "The invoice cannot be read."),
        GatewayError.InvoiceWrongNetwork => new(400, "INVOICE_WRONG_NETWORK", "The invoice is for another Bitcoin network."),
        GatewayError.InvoiceExpired => new(400, "INVOICE_EXPIRED", "The invoice has expired or expires too soon."),
        GatewayError.InvoiceUsed => new(409, "INVOICE_USED", "This invoice was already paid or is being paid."),
        GatewayError.AmountOutOfRange => new(400, "AMOUNT_OUT_OF_RANGE", "The invoice amount is outside what this card offers."),
        GatewayError.LimitTx => new(403, "LIMIT_TX", "The amount is above this card's per-payment limit."),
        GatewayError.LimitDay => new(403, "LIMIT_DAY", "The amount is above what remains of this card's daily limit."),
        GatewayError.InsufficientFunds => new(402, "INSUFFICIENT_FUNDS", "The card's balance is too low."),
        GatewayError.PinRequired => new(401, "PIN_REQUIRED", "A PIN is required for this amount."),
        GatewayError.PinWrong => new(403, "PIN_WRONG", "Wrong PIN."),
        // The code a client sees for a failed payment is its failure kind (NO_ROUTE, ...); see Refusal.Code.
        GatewayError.PaymentFailed => new(422, "PAYMENT_FAILED", "The payment failed; the card was not charged."),
        GatewayError.NodeUnavailable => new(503, "NODE_UNAVAILABLE", "The Lightning node is not reachable; try again shortly."),
        GatewayError.Unavailable => new(503, "UNAVAILABLE", "The gateway cannot serve this request now; try again shortly."),
        GatewayError.CodeUnknown => new(404, "CODE_UNKNOWN", "This programming link is not known here."),
        GatewayError.CodeExpired => new(410, "CODE_EXPIRED", "This programming link has expired; ask the operator for a new one."),
        GatewayError.CodeUsed => new(409, "CODE_USED", "This programming link was already used; ask the operator for a new one."),
        GatewayError.CardActive => new(409, "CARD_ACTIVE", "This card is programmed and active here; reset it first."),
        GatewayError.CardImported => new(409, "CARD_IMPORTED", "This card's keys were imported; it cannot be programmed with derived keys."),
        GatewayError.PublicUrlRequired => new(403, "PUBLIC_URL_REQUIRED", "This gateway has no https public address yet, so it cannot program cards; ask the operator to set Gateway:PublicUrl."),
        GatewayError.RateLimited => new(429, "RATE_LIMITED", "Too many requests; try again shortly."),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
    };

    public static GatewayError From(ReserveRejection rejection) => rejection switch
    {
        ReserveRejection.K1Unknown => GatewayError.K1Unknown,
        ReserveRejection.K1Expired => GatewayError.K1Expired,
        ReserveRejection.K1Used => GatewayError.K1Used,
        ReserveRejection.CardNotFound => GatewayError.CardNotFound,
        ReserveRejection.CardDisabled => GatewayError.CardDisabled,
        ReserveRejection.CardLocked => GatewayError.CardLocked,
        ReserveRejection.Replay => GatewayError.Replay,
        ReserveRejection.LimitPerTap => GatewayError.LimitTx,
        ReserveRejection.LimitDaily => GatewayError.LimitDay,
        ReserveRejection.InsufficientFunds => GatewayError.InsufficientFunds,
        ReserveRejection.InvoiceAlreadyUsed => GatewayError.InvoiceUsed,
        _ => throw new ArgumentOutOfRangeException(nameof(rejection), rejection, null),
    };

    /// <summary>Why admission refused a withdrawal, as the error the POS sees. <see cref="AdmissionAnswer.NotAuthorized"/> has no
    /// entry: the caller's own check knows its refusal.</summary>
    public static Refusal From(AdmissionAnswer.Refused refused) => refused switch
    {
        AdmissionAnswer.Rejected r => From(r.Reason),
        AdmissionAnswer.InvoiceInvalid => GatewayError.InvoiceInvalid,
        AdmissionAnswer.NodeUnavailable => GatewayError.NodeUnavailable,
        AdmissionAnswer.WrongNetwork n => new Refusal(GatewayError.InvoiceWrongNetwork,
            $"The invoice is for {n.Invoice}; this gateway pays on {n.Node}."),
        AdmissionAnswer.NoAmount => new Refusal(GatewayError.AmountOutOfRange, "The invoice must name an amount above zero."),
        AdmissionAnswer.InvoiceExpired => GatewayError.InvoiceExpired,
        AdmissionAnswer.ExpiresTooSoon soon => new Refusal(GatewayError.InvoiceExpired,
            $"The invoice expires too soon: at least {soon.Needed.TotalSeconds:0} s must remain."),
        AdmissionAnswer.BelowMinimum => GatewayError.AmountOutOfRange,
        AdmissionAnswer.PaymentFailed failed => PaymentFailed(failed.Kind, failed.NodeMessage),
        _ => throw new ArgumentOutOfRangeException(nameof(refused), refused, null),
    };

    /// <summary>A definitive payment failure: its kind's code, "not charged", and the node's words when it gave any.</summary>
    public static Refusal PaymentFailed(FailureKind kind, string? nodeMessage) => new(GatewayError.PaymentFailed,
        $"The payment failed ({kind.Code()}); {PaymentAnswer.NotCharged}." +
        (string.IsNullOrEmpty(nodeMessage) ? "" : " Node: " + Truncate(nodeMessage, 200)),
        kind);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    /// <summary>
    /// The ERROR body of a refusal: its code (the failure kind's for a failed payment), its reason. Its HTTP
    /// status follows <c>Lnurl:ErrorStatus</c>: 200 by default (what LUD-03 clients read), or the entry's 4xx/5xx.
    /// </summary>
    public static IResult ToResult(Refusal refusal)
    {
        var entry = Describe(refusal.Error);
        return new LnurlErrorResult(LnurlStatus.Error(refusal.Detail ?? entry.Reason, refusal.Code), entry.Status, refusal.RetryAfter);
    }

    /// <summary>The ERROR body; <paramref name="detail"/> replaces the default reason when given.</summary>
    public static IResult ToResult(GatewayError error, string? detail = null) => ToResult(new Refusal(error, detail));
}
