namespace BoltGate.Server.Auth;

/// <summary>
/// What a caller may do, as claims of type <see cref="ClaimType"/> on its principal, and the
/// authorization policy of the same name that each route requires. <see cref="Admin"/> satisfies every policy.
/// </summary>
public static class Scopes
{
    public const string ClaimType = "scope";

    /// <summary>Read cards, their ledgers and withdrawals.</summary>
    public const string CardsRead = "cards:read";

    /// <summary>Create, import, change, wipe and reset cards; issue programming links.</summary>
    public const string CardsWrite = "cards:write";

    /// <summary>Move money: credit, debit, cancel (refund) a waiting withdrawal.</summary>
    public const string FundsWrite = "funds:write";

    /// <summary>Everything, including what only an administrator may do.</summary>
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [CardsRead, CardsWrite, FundsWrite, Admin];
}
