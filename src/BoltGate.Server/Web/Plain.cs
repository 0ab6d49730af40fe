using System.Globalization;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Server.Web;

/// <summary>
/// Amounts, durations and outcomes in the words a person reads: sat with thousands separators, and
/// what happened to a payment ("The shop's node could not be reached; 1,200 sat were back on your card
/// 0.2 s later"). Used by the console and the holder's balance page alike.
/// </summary>
public static class Plain
{
    // Invariant globalization: the invariant culture groups thousands with "," as English readers expect.
    private static readonly CultureInfo En = CultureInfo.InvariantCulture;

    /// <summary>"1,200 sat"; a part of a sat is shown when there is one ("1,200.5 sat").</summary>
    public static string Sat(Msat amount) =>
        amount.Value % 1000 == 0
            ? (amount.Value / 1000).ToString("N0", En) + " sat"
            : (amount.Value / 1000m).ToString("#,##0.###", En) + " sat";

    public static string Sat(Msat? amount, string none) => amount is { } a ? Sat(a) : none;

    /// <summary>"under 0.1 s", "0.2 s", "12 s", "3 min", "2 h".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
            span = TimeSpan.Zero;
        if (span < TimeSpan.FromMilliseconds(100))
            return "under 0.1 s";
        if (span.TotalSeconds < 10)
            return span.TotalSeconds.ToString("0.0", En) + " s";
        if (span.TotalMinutes < 2)
            return span.TotalSeconds.ToString("0", En) + " s";
        return span.TotalHours < 2 ? span.TotalMinutes.ToString("0", En) + " min" : span.TotalHours.ToString("0", En) + " h";
    }

    /// <summary>Why a payment failed, in words, from its stored failure code.</summary>
    public static string FailureReason(string? code) => FailureKindCodes.FromCode(code) switch
    {
        FailureKind.NoRoute => "The shop's node could not be reached",
        FailureKind.InsufficientLiquidity => "The gateway's node had too little outgoing capacity for this amount",
        FailureKind.InvoiceExpired => "The shop's invoice had expired",
        FailureKind.IncorrectPaymentDetails => "The shop's node refused the payment (unknown or already used invoice)",
        FailureKind.FeeLimitExceeded => "Every route would have cost more in fees than allowed",
        FailureKind.Timeout => "No route got through before the time ran out",
        FailureKind.AlreadyPaid => "This invoice had already been paid",
        FailureKind.NodeUnavailable => "The gateway's own Lightning node could not be reached",
        FailureKind.Canceled => "An operator canceled it",
        _ => "The payment failed for a reason the node did not explain",
    };

    /// <summary>One sentence for a withdrawal as it stands.</summary>
    public static string Outcome(Withdrawal w) => w.State switch
    {
        WithdrawalState.Succeeded =>
            $"Paid {Sat(w.Amount)}" + (w.Fee is { IsPositive: true } fee ? $" plus {Sat(fee)} in fees" : "") +
            (w.FinishedAt is { } done ? $", in {Duration(done - w.ReservedAt)}" : "") + ".",
        WithdrawalState.Failed =>
            $"{FailureReason(w.FailureCode)}; {Sat(w.Amount)} were back on the card" +
            (w.FinishedAt is { } done ? $" {Duration(done - w.ReservedAt)} later" : "") + ".",
        WithdrawalState.InFlight => $"Paying {Sat(w.Amount)}: the payment is on its way and the amount stays held until it settles or fails.",
        _ => w.Attempts > 0 && w.FailureCode is not null
            ? $"Waiting to try {Sat(w.Amount)} again ({FailureReason(w.FailureCode).ToLowerInvariant()} last time)."
            : $"Paying {Sat(w.Amount)}…",
    };

    /// <summary>Same, addressed to the card holder ("your card").</summary>
    public static string OutcomeForHolder(Withdrawal w) => Outcome(w).Replace("back on the card", "back on your card", StringComparison.Ordinal);

    public static string StateLabel(WithdrawalState state) => state switch
    {
        WithdrawalState.Reserved => "waiting",
        WithdrawalState.Sending => "sending",
        WithdrawalState.InFlight => "in flight",
        WithdrawalState.Succeeded => "paid",
        WithdrawalState.Failed => "refunded",
        _ => state.ToString(),
    };

    public static string Ledger(LedgerEntry e) => e.Kind switch
    {
        LedgerKind.TopUp => "Credited" + Note(e.Note),
        LedgerKind.Debit => "Debited" + Note(e.Note),
        LedgerKind.Reservation => "Held for a payment",
        LedgerKind.Refund => "Refunded: " + FailureReason(e.Note).ToLowerInvariant(),
        LedgerKind.FeeRelease => "Unused fee reserve returned",
        _ => e.Kind.ToString(),
    };

    /// <summary>ISO 8601 for the <c>datetime</c> attribute; the page's script turns it into the viewer's own zone.</summary>
    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>The text shown before the script runs (and without it): UTC, said so.</summary>
    public static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    private static string Note(string? note) => string.IsNullOrWhiteSpace(note) ? "" : ": " + note;
}
