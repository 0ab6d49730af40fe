using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;

namespace BoltGate.Lightning.Lnd;

/// <summary>
/// lnd's wire answers mapped to outcomes, in one place (spec §1.12). The status decides; the
/// failure reason is only a detail: IN_FLIGHT with FAILURE_REASON_TIMEOUT is still pending, and
/// SUCCEEDED with a timeout reason is a success. Nothing here maps an in-flight HTLC to Failed.
/// </summary>
public static class LndOutcomeClassifier
{
    /// <summary>What one streamed or tracked <c>lnrpc.Payment</c> means.</summary>
    public static LndPaymentState Classify(LndPayment payment)
    {
        switch (payment.Status)
        {
            case "SUCCEEDED":
                if (!Bytes32.TryParseHex(payment.PaymentPreimage, out var preimage)
                    || !Bytes32.TryParseHex(payment.PaymentHash, out var hash)
                    || Bytes32.Sha256(preimage.Span) != hash)
                {
                    return new LndPaymentState.Final(new PaymentOutcome.Unknown(
                        "lnd reported SUCCEEDED without a preimage matching the payment hash"));
                }
                return new LndPaymentState.Final(new PaymentOutcome.Succeeded(preimage, new Msat(payment.FeeMsat)));
            case "FAILED":
                // lnd marks a payment FAILED only when no HTLC is in flight and none settled.
                return new LndPaymentState.Final(new PaymentOutcome.Failed(
                    KindOf(payment.FailureReason), "lnd: " + (payment.FailureReason.Length > 0 ? payment.FailureReason : "FAILED")));
            default:
                // IN_FLIGHT, INITIATED, the deprecated UNKNOWN, or a status we do not know yet.
                return new LndPaymentState.Pending(payment.HtlcsInFlight, payment.FailureReason);
        }
    }

    public static FailureKind KindOf(string failureReason) => failureReason switch
    {
        "FAILURE_REASON_NO_ROUTE" => FailureKind.NoRoute,
        "FAILURE_REASON_INSUFFICIENT_BALANCE" => FailureKind.InsufficientLiquidity,
        "FAILURE_REASON_INCORRECT_PAYMENT_DETAILS" => FailureKind.IncorrectPaymentDetails,
        "FAILURE_REASON_TIMEOUT" => FailureKind.Timeout,
        "FAILURE_REASON_CANCELED" => FailureKind.Canceled,
        _ => FailureKind.Unknown,
    };

    /// <summary>
    /// An error answer to <c>POST /v2/router/send</c> before any payment update was streamed
    /// (<paramref name="httpStatus"/> is the response status), or as a stream line (status 200).
    /// </summary>
    public static LndSendError ClassifySendError(int httpStatus, LndError error)
    {
        var m = error.Message;
        var code = error.GrpcCode;

        // A payment with this hash already exists (gRPC AlreadyExists, HTTP 409).
        if (code == 6 || httpStatus == 409)
        {
            if (Has(m, "already paid"))
                return new LndSendError.SucceededEarlier(m);
            return new LndSendError.Pending(m); // "payment is in transition", "payment already exists"
        }

        // Refused before the router saw the payment: credentials, node not ready.
        if (code is 16 or 7 || httpStatus is 401 or 403
            || Has(m, "macaroon") || Has(m, "permission denied") || Has(m, "verification failed")
            || Has(m, "wallet locked") || Has(m, "wallet not created") || Has(m, "waiting to start")
            || Has(m, "not yet ready") || Has(m, "still syncing") || Has(m, "in the process of starting"))
        {
            return new LndSendError.NotSent(FailureKind.NodeUnavailable, m);
        }

        // Rejected by request validation (extractIntentFromSendRequest) before PreparePayment.
        if (Has(m, "invoice expired"))
            return new LndSendError.NotSent(FailureKind.InvoiceExpired, m);
        if (Has(m, "self-payments not allowed"))
            return new LndSendError.NotSent(FailureKind.NoRoute, m);
        if (Has(m, "amount must") || Has(m, "mutually exclusive") || Has(m, "cannot appear together")
            || Has(m, "time preference out of range") || Has(m, "invalid payment request")
            || Has(m, "checksum") || Has(m, "invalid bech32") || Has(m, "timeout_seconds must be specified"))
        {
            return new LndSendError.NotSent(FailureKind.IncorrectPaymentDetails, m);
        }

        // Request decoding failed in the REST proxy (bad JSON, unknown field): never reached the router.
        if (code == 3 || httpStatus == 400)
            return new LndSendError.NotSent(FailureKind.Unknown, m);

        // Route missing (routerrpc not compiled in) or the proxy refused the path.
        if (httpStatus == 404 && code is null)
            return new LndSendError.NotSent(FailureKind.NodeUnavailable, m);
        if (code == 14 || httpStatus == 503)
            return new LndSendError.NotSent(FailureKind.NodeUnavailable, m);

        // Anything else ("routerrpc server shutting down", a 500 we do not recognise): we cannot tell
        // whether the payment started. Look it up by hash.
        return new LndSendError.Ambiguous(m);
    }

    /// <summary>An error answer to <c>GET /v2/router/track/{hash}</c>.</summary>
    public static PaymentLookup ClassifyTrackError(int httpStatus, LndError error)
    {
        if (error.GrpcCode == 5 || Has(error.Message, "payment isn't initiated"))
            return new PaymentLookup.NotFound("lnd: " + error.Message);
        return new PaymentLookup.Unavailable($"lnd track failed (HTTP {httpStatus}): {error}");
    }

    /// <summary>A tracked payment as a look-up result.</summary>
    public static PaymentLookup ToLookup(LndPayment payment) => Classify(payment) switch
    {
        LndPaymentState.Final f => new PaymentLookup.Found(f.Outcome),
        LndPaymentState.Pending p => new PaymentLookup.Found(new PaymentOutcome.Unknown(PendingReason(p))),
        _ => throw new InvalidOperationException("unreachable"),
    };

    public static string PendingReason(LndPaymentState.Pending p) =>
        p.FailureReason is "FAILURE_REASON_TIMEOUT" or "FAILURE_REASON_CANCELED"
            ? $"lnd: payment still IN_FLIGHT with {p.HtlcsInFlight} HTLC(s) out after {p.FailureReason}: no new attempts, but it may still settle"
            : $"lnd: payment IN_FLIGHT with {p.HtlcsInFlight} HTLC(s) out";

    private static bool Has(string text, string fragment) => text.Contains(fragment, StringComparison.OrdinalIgnoreCase);
}

/// <summary>What one lnd payment update means.</summary>
public abstract record LndPaymentState
{
    private LndPaymentState()
    {
    }

    /// <summary>SUCCEEDED or FAILED: the stream ends after it.</summary>
    public sealed record Final(PaymentOutcome Outcome) : LndPaymentState;

    /// <summary>Still in flight (or initiated); <see cref="FailureReason"/> may already say TIMEOUT.</summary>
    public sealed record Pending(int HtlcsInFlight, string FailureReason) : LndPaymentState;
}

/// <summary>What an error from <c>/v2/router/send</c> means.</summary>
public abstract record LndSendError
{
    private LndSendError()
    {
    }

    /// <summary>Refused before anything was sent: a definitive failure.</summary>
    public sealed record NotSent(FailureKind Kind, string NodeMessage) : LndSendError;

    /// <summary>A payment for this hash is already in flight: track it.</summary>
    public sealed record Pending(string NodeMessage) : LndSendError;

    /// <summary>This node already paid the hash: track it for the preimage.</summary>
    public sealed record SucceededEarlier(string NodeMessage) : LndSendError;

    /// <summary>We cannot tell whether the payment started: track it.</summary>
    public sealed record Ambiguous(string NodeMessage) : LndSendError;
}
