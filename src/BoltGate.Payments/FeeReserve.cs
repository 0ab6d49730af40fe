using BoltGate.Core.Money;

namespace BoltGate.Payments;

/// <summary>The most routing fee a withdrawal may cost: reserved with it and passed to the node as its cap.</summary>
public sealed class FeeReserve(AdmissionOptions options)
{
    public Msat For(Msat amount) => options.FeeLimitBase + amount.Ppm(options.FeeLimitPpm);

    /// <summary>The largest whole-sat amount whose amount + fee reserve fits in <paramref name="available"/>.</summary>
    public Msat LargestAffordable(Msat available)
    {
        var room = available - options.FeeLimitBase;
        if (!room.IsPositive)
            return Msat.Zero;
        // amount × (1 + ppm/1e6) ≤ room, then step down to whole sats until it fits exactly.
        var estimate = (long)((decimal)room.Value * 1_000_000m / (1_000_000m + options.FeeLimitPpm));
        var amount = Msat.FromSat(estimate / Msat.MsatPerSat);
        while (amount.IsPositive && amount + For(amount) > available)
            amount -= Msat.FromSat(1);
        return amount;
    }
}
