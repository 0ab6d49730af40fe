namespace BoltGate.Storage.Operators;

/// <summary>An operator account of the web console. <see cref="Role"/> is "admin", "operator" or "viewer".</summary>
public sealed record ConsoleUser(
    string Name,
    string PasswordHash,
    string Role,
    int FailedSignIns,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>One page of a list and how many rows match in all.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, long Total, int Offset, int Limit);

/// <summary>What the gateway owes its card holders: spendable balances, and what withdrawals hold back until they finish.</summary>
public sealed record Liabilities(long Cards, Core.Money.Msat Balances, Core.Money.Msat Reserved, long InFlight);

/// <summary>Taps and withdrawal outcomes in one hour (UTC), for the overview's chart.</summary>
public sealed record ActivityHour(DateTimeOffset Hour, long Taps, long Succeeded, long Failed);
