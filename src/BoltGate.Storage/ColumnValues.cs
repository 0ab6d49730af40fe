using System.Globalization;
using BoltGate.Core.Money;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Ledger;

namespace BoltGate.Storage;

/// <summary>How values are written to and read from columns (text codes, msat, unix-ms times, the limit day), in one place.</summary>
internal static class ColumnValues
{
    public static string KeySource(CardKeySource source) => source switch
    {
        CardKeySource.Deterministic => "deterministic",
        CardKeySource.Imported => "imported",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    public static CardKeySource ParseKeySource(string text) => text switch
    {
        "deterministic" => CardKeySource.Deterministic,
        "imported" => CardKeySource.Imported,
        _ => throw new InvalidDataException($"Unknown key source '{text}' in the database."),
    };

    public static string LedgerKind(LedgerKind kind) => kind switch
    {
        Ledger.LedgerKind.TopUp => "topup",
        Ledger.LedgerKind.Reservation => "reservation",
        Ledger.LedgerKind.Refund => "refund",
        Ledger.LedgerKind.FeeRelease => "fee_release",
        Ledger.LedgerKind.Debit => "debit",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static LedgerKind ParseLedgerKind(string text) => text switch
    {
        "topup" => Ledger.LedgerKind.TopUp,
        "reservation" => Ledger.LedgerKind.Reservation,
        "refund" => Ledger.LedgerKind.Refund,
        "fee_release" => Ledger.LedgerKind.FeeRelease,
        "debit" => Ledger.LedgerKind.Debit,
        _ => throw new InvalidDataException($"Unknown ledger kind '{text}' in the database."),
    };

    public static Msat? ToMsat(long? value) => value is { } v ? new Msat(v) : null;

    public static long? FromMsat(Msat? value) => value?.Value;

    public static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    public static DateTimeOffset? Time(long? unixMs) => unixMs is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>The UTC calendar day a daily limit counts in.</summary>
    public static string Day(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
