using BoltGate.Core.Money;

namespace BoltGate.Storage.Ledger;

/// <summary>One balance movement; <see cref="Amount"/> is signed (credits positive).</summary>
public sealed record LedgerEntry(
    long Id,
    string CardId,
    LedgerKind Kind,
    Msat Amount,
    string? WithdrawalId,
    string? Note,
    DateTimeOffset CreatedAt);
