using System.Text.Json;
using System.Text.Json.Serialization;

namespace BoltGate.Pos;

/// <summary>How one sale ended, as the terminal's screen (and a script) sees it.</summary>
public enum PosOutcome
{
    /// <summary>The gateway answered OK: the invoice is paid.</summary>
    Paid,

    /// <summary>The gateway answered OK with a "pending" reason: the card's money is held until the node knows.</summary>
    Pending,

    /// <summary>The gateway (or the offer's limits) refused: an LNURL ERROR with its code; the card was not charged.</summary>
    Refused,

    /// <summary>Something broke on the way (network, a malformed answer, the merchant's node): no LNURL answer to show.</summary>
    Error,
}

/// <summary>Where a sale stopped: reading the tap, the offer, the merchant's invoice, or the callback.</summary>
public static class PosStage
{
    public const string Tap = "tap";
    public const string Offer = "offer";
    public const string Invoice = "invoice";
    public const string Callback = "callback";
}

/// <summary>Milliseconds spent in each step, measured by the terminal (total includes everything).</summary>
public sealed record PosTimings(long TapMs, long InvoiceMs, long CallbackMs, long TotalMs);

/// <summary>The result of one sale. Codes are the gateway's LNURL codes (<c>NO_ROUTE</c>, <c>REPLAY</c>, …) or the terminal's own.</summary>
public sealed record PosResult(
    PosOutcome Outcome,
    string Stage,
    string? Code,
    string? Reason,
    long? AmountSat,
    string? PaymentHash,
    string? Invoice,
    PosTimings Timings)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Process exit code: 0 paid, 1 refused, 3 pending, 4 error (2 is a usage error).</summary>
    public int ExitCode => Outcome switch
    {
        PosOutcome.Paid => 0,
        PosOutcome.Refused => 1,
        PosOutcome.Pending => 3,
        _ => 4,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>One line for a person at the counter.</summary>
    public string ToText()
    {
        var amount = AmountSat is { } a ? $"{a} sat " : "";
        var what = Outcome switch
        {
            PosOutcome.Paid => $"PAID {amount}",
            PosOutcome.Pending => $"PENDING {amount}(the card's money is held until the payment settles or fails)",
            PosOutcome.Refused => $"REFUSED at {Stage}: {Code}",
            _ => $"ERROR at {Stage}: {Code}",
        };
        var reason = string.IsNullOrEmpty(Reason) ? "" : $" — {Reason}";
        return $"{what}{reason} [tap {Timings.TapMs} ms, invoice {Timings.InvoiceMs} ms, callback {Timings.CallbackMs} ms, total {Timings.TotalMs} ms]";
    }
}
