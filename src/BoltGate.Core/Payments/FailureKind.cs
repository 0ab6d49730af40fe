namespace BoltGate.Core.Payments;

/// <summary>
/// Why a payment failed definitively. Each kind has a stable machine-readable code
/// (<see cref="FailureKindCodes.Code"/>) used on withdrawals, in LNURL errors and in metrics.
/// </summary>
public enum FailureKind
{
    NoRoute,
    InsufficientLiquidity,
    InvoiceExpired,
    IncorrectPaymentDetails,
    FeeLimitExceeded,
    Timeout,
    AlreadyPaid,
    NodeUnavailable,
    Canceled,
    Unknown,
}

public static class FailureKindCodes
{
    public static string Code(this FailureKind kind) => kind switch
    {
        FailureKind.NoRoute => "NO_ROUTE",
        FailureKind.InsufficientLiquidity => "INSUFFICIENT_LIQUIDITY",
        FailureKind.InvoiceExpired => "INVOICE_EXPIRED",
        FailureKind.IncorrectPaymentDetails => "INCORRECT_PAYMENT_DETAILS",
        FailureKind.FeeLimitExceeded => "FEE_LIMIT",
        FailureKind.Timeout => "TIMEOUT",
        FailureKind.AlreadyPaid => "ALREADY_PAID",
        FailureKind.NodeUnavailable => "NODE_UNAVAILABLE",
        FailureKind.Canceled => "CANCELED",
        FailureKind.Unknown => "UNKNOWN",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The kind of a stored code; <see cref="FailureKind.Unknown"/> for a code we do not know.</summary>
    public static FailureKind FromCode(string? code) => TryParse(code, out var kind) ? kind : FailureKind.Unknown;

    public static bool TryParse(string? code, out FailureKind kind)
    {
        foreach (var k in Enum.GetValues<FailureKind>())
        {
            if (string.Equals(k.Code(), code, StringComparison.Ordinal))
            {
                kind = k;
                return true;
            }
        }
        kind = default;
        return false;
    }
}
