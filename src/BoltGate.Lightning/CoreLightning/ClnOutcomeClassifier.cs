using System.Text.Json;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;

namespace BoltGate.Lightning.CoreLightning;

/// <summary>
/// Core Lightning's wire answers mapped to outcomes, in one place (spec §2.9). A pay/xpay error is
/// never final on its own except when the invoice was refused before anything was sent: xpay can
/// return an error while a part is still pending, and classic pay's error code may be 0 (v24.08+),
/// so every other error is confirmed with <c>listpays</c>. Nothing here maps a pending part to Failed.
/// </summary>
public static class ClnOutcomeClassifier
{
    /// <summary>A successful pay/xpay result (always "complete").</summary>
    public static PaymentOutcome FromPayResult(JsonElement result, Bytes32 paymentHash)
    {
        if (result.ValueKind != JsonValueKind.Object)
            return new PaymentOutcome.Unknown($"Core Lightning pay returned a {result.ValueKind}, not an object");
        if (result.TryGetProperty("status", out var status) && (status.ValueKind != JsonValueKind.String || status.GetString() != "complete"))
            return new PaymentOutcome.Unknown($"Core Lightning pay returned status {status.GetRawText()}");
        var preimageHex = Str(result, "payment_preimage");
        if (!Bytes32.TryParseHex(preimageHex, out var preimage) || Bytes32.Sha256(preimage.Span) != paymentHash)
            return new PaymentOutcome.Unknown("Core Lightning reported success without a preimage matching the payment hash");
        return new PaymentOutcome.Succeeded(preimage, Fee(result));
    }

    /// <summary>What an error answer to pay or xpay means before looking anything up.</summary>
    public static ClnPayError ClassifyPayError(ClnRpcError error)
    {
        var m = error.Message;
        return error.Code switch
        {
            207 => new ClnPayError.NotSent(FailureKind.InvoiceExpired, m),
            -32602 => new ClnPayError.NotSent(Has(m, "expired") ? FailureKind.InvoiceExpired : FailureKind.IncorrectPaymentDetails, m),
            -32601 => new ClnPayError.NotSent(FailureKind.NodeUnavailable, m),
            203 => new ClnPayError.Confirm(FailureKind.IncorrectPaymentDetails, true, m),
            205 or 210 or 216 or 217 or 220 => new ClnPayError.Confirm(FailureKind.NoRoute, true, m),
            206 => new ClnPayError.Confirm(FailureKind.FeeLimitExceeded, true, m),
            215 => new ClnPayError.Confirm(FailureKind.InsufficientLiquidity, true, m),
            209 => new ClnPayError.Confirm(Has(m, "Timed out") ? FailureKind.Timeout : FailureKind.Unknown, true, m),
            201 => new ClnPayError.Confirm(FailureKind.AlreadyPaid, true, m),
            // Classic pay since v24.08 aborts with code 0 (p->errorcode never set): read the words.
            0 => new ClnPayError.Confirm(KindFromAbortMessage(m), true, m),
            -1 => new ClnPayError.Confirm(FailureKind.Unknown, true, m),
            // 219: xpay says this invoice was already paid successfully; listpays has the preimage.
            219 => new ClnPayError.Confirm(FailureKind.AlreadyPaid, false, m),
            // Another attempt for this hash is in flight: 200 from lightningd, or xpay's -3 wrapping it.
            200 => new ClnPayError.Confirm(null, false, m),
            -3 when Has(m, "error 200") => new ClnPayError.Confirm(null, false, m),
            // Plugin died, node shutting down, or a code we do not know: the command may still run.
            _ => new ClnPayError.Confirm(null, false, m),
        };
    }

    /// <summary>
    /// The final answer after an error was confirmed against listpays: a complete entry wins, a
    /// pending one keeps it Unknown, and only a conclusive error with nothing pending is Failed.
    /// </summary>
    public static PaymentOutcome Confirmed(ClnPayError.Confirm error, PaymentLookup listpays) => listpays switch
    {
        PaymentLookup.Found { Outcome: PaymentOutcome.Succeeded s } => s,
        PaymentLookup.Found { Outcome: PaymentOutcome.Unknown u } =>
            new PaymentOutcome.Unknown($"Core Lightning: {error.NodeMessage}; but a part is still pending ({u.Reason})"),
        PaymentLookup.Found or PaymentLookup.NotFound when error.Conclusive && error.Kind is { } kind =>
            new PaymentOutcome.Failed(kind, "Core Lightning: " + error.NodeMessage),
        PaymentLookup.Unavailable un =>
            new PaymentOutcome.Unknown($"Core Lightning: {error.NodeMessage}; could not confirm with listpays ({un.Reason})"),
        _ => new PaymentOutcome.Unknown("Core Lightning: " + error.NodeMessage),
    };

    /// <summary>
    /// <c>listpays</c> (one entry per payment group) or <c>listsendpays</c> (one per part) for one
    /// hash: any complete entry means Succeeded, else any pending means Unknown, else Failed; no
    /// entry means the node never sent it.
    /// </summary>
    public static PaymentLookup FromListPays(JsonElement entries)
    {
        if (entries.ValueKind != JsonValueKind.Array || entries.GetArrayLength() == 0)
            return new PaymentLookup.NotFound("Core Lightning has no payment with this hash");
        var pending = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            // Not an entry at all: nothing here proves the payment failed.
            if (entry.ValueKind != JsonValueKind.Object)
                return new PaymentLookup.Found(new PaymentOutcome.Unknown($"Core Lightning lists a {entry.ValueKind} where a payment belongs"));
            switch (Str(entry, "status"))
            {
                case "complete":
                    var preimageHex = entry.TryGetProperty("preimage", out _) ? Str(entry, "preimage") : Str(entry, "payment_preimage");
                    if (!Bytes32.TryParseHex(preimageHex, out var preimage)
                        || !Bytes32.TryParseHex(Str(entry, "payment_hash"), out var hash)
                        || Bytes32.Sha256(preimage.Span) != hash)
                    {
                        return new PaymentLookup.Found(new PaymentOutcome.Unknown("Core Lightning lists the payment complete without a matching preimage"));
                    }
                    return new PaymentLookup.Found(new PaymentOutcome.Succeeded(preimage, Fee(entry)));
                case "pending":
                    pending++;
                    break;
            }
        }
        if (pending > 0)
            return new PaymentLookup.Found(new PaymentOutcome.Unknown($"Core Lightning: {pending} payment part(s) pending"));
        return new PaymentLookup.Found(new PaymentOutcome.Failed(FailureKind.Unknown, "Core Lightning: every payment attempt failed"));
    }

    /// <summary>Classic pay's code-0 aborts carry only words.</summary>
    public static FailureKind KindFromAbortMessage(string message)
    {
        if (Has(message, "not reachable") || Has(message, "no route") || Has(message, "ran out of routes") || Has(message, "excluded"))
            return FailureKind.NoRoute;
        if (Has(message, "sufficient funds") || Has(message, "enough funds") || Has(message, "insufficient balance") || Has(message, "capacity"))
            return FailureKind.InsufficientLiquidity;
        if (Has(message, "expired"))
            return FailureKind.InvoiceExpired;
        if (Has(message, "fee") && Has(message, "budget"))
            return FailureKind.FeeLimitExceeded;
        return FailureKind.Unknown;
    }

    private static Msat Fee(JsonElement e)
    {
        var amount = Int64(e, "amount_msat");
        var sent = Int64(e, "amount_sent_msat");
        return amount > 0 && sent >= amount ? new Msat(sent - amount) : Msat.Zero;
    }

    internal static long Int64(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;

    internal static string Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    private static bool Has(string text, string fragment) => text.Contains(fragment, StringComparison.OrdinalIgnoreCase);
}

/// <summary>What an error from pay or xpay means.</summary>
public abstract record ClnPayError
{
    private ClnPayError()
    {
    }

    /// <summary>Refused before any HTLC was sent (expired invoice, bad parameters): definitively failed.</summary>
    public sealed record NotSent(FailureKind Kind, string NodeMessage) : ClnPayError;

    /// <summary>
    /// Look the hash up before deciding. <see cref="Conclusive"/>: with nothing pending or complete,
    /// this error is a final failure of <see cref="Kind"/>; otherwise it stays Unknown.
    /// </summary>
    public sealed record Confirm(FailureKind? Kind, bool Conclusive, string NodeMessage) : ClnPayError;
}
