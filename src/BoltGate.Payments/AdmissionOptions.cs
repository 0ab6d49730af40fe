using BoltGate.Core.Money;

namespace BoltGate.Payments;

/// <summary>What admission needs to know beyond the card: the smallest withdrawal and the fee reserve's formula.</summary>
public sealed record AdmissionOptions
{
    /// <summary>No withdrawal below this amount is admitted.</summary>
    public Msat MinWithdrawable { get; init; } = Msat.FromSat(1);

    /// <summary>Fee reserve = <see cref="FeeLimitBase"/> + amount × <see cref="FeeLimitPpm"/> / 1e6; the node may spend no more.</summary>
    public Msat FeeLimitBase { get; init; } = Msat.FromSat(10);

    public long FeeLimitPpm { get; init; } = 5_000;
}
