using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Storage.Cards;

namespace BoltGate.Storage.Listing;

/// <summary>Where a page ends: the sort value and id of its last row. The next page starts after it.</summary>
public readonly record struct PageCursor(long Key, string Id);

/// <summary>One page of rows, newest first unless the listing says otherwise; <see cref="Next"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, PageCursor? Next);

/// <summary>The state an operator filters cards by: active, disabled, wiped (reset, awaiting new keys) or locked (too many wrong PINs).</summary>
public enum CardStatus
{
    Active,
    Disabled,
    Wiped,
    Locked,
}

public enum CardSort
{
    Created,
    LastTap,
}

/// <summary>A card search: name, id or UID contains <see cref="Search"/> (any case), in <see cref="Status"/>, newest (created or tapped) first.</summary>
public sealed record CardQuery(string? Search, CardStatus? Status, CardSort Sort, int Limit, PageCursor? After);

/// <summary>A card in a listing: what the operator sees at a glance besides the card itself.</summary>
public sealed record CardSummary(Card Card, CardStatus Status, DateTimeOffset? LastTapAt);

/// <summary>What a card's detail adds: its status, its last tap, how often it was tapped and how its withdrawals ended.</summary>
public sealed record CardFacts(
    CardStatus Status, Withdrawals.PaymentPolicy PaymentPolicy, DateTimeOffset? LastTapAt, long Taps, long Withdrawals, long Succeeded, long Failed, long Pending, Msat Reserved);

/// <summary>A withdrawal search; every filter is optional. Times bound the reservation time (from inclusive, to exclusive).</summary>
public sealed record WithdrawalQuery(
    string? CardId, WithdrawalState? State, string? FailureCode, DateTimeOffset? From, DateTimeOffset? To, int Limit, PageCursor? After);

/// <summary>When the tap that led to a withdrawal was verified and its k1 handed out; when its ledger moved money back.</summary>
public sealed record WithdrawalHistory(DateTimeOffset? TapAt, DateTimeOffset? K1ExpiresAt, IReadOnlyList<Ledger.LedgerEntry> Ledger);
