using BoltGate.Core.Money;

namespace BoltGate.Storage.Listing;

/// <summary>
/// What happened in one time bucket [<see cref="From"/>, <see cref="To"/>): taps that got an offer and how
/// many of them a callback used, withdrawals (by their reservation time) by state and by failure kind,
/// their amounts and fees, the times from callback to refund of the failed ones, and what the gateway owed
/// card holders at the bucket's end (balances, and money reserved for withdrawals not yet final).
/// </summary>
public sealed record StatsBucket(
    DateTimeOffset From,
    DateTimeOffset To,
    long TapsOffered,
    long TapsUsed,
    IReadOnlyDictionary<string, long> WithdrawalsByState,
    IReadOnlyDictionary<string, long> FailuresByKind,
    Msat AmountSucceeded,
    Msat FeesPaid,
    Msat AmountRefunded,
    IReadOnlyList<TimeSpan> RefundTimes,
    Msat BalancesAtEnd,
    Msat ReservedAtEnd);
