using BoltGate.Core.Money;

namespace BoltGate.Payments.Tests;

[Trait(Category.Name, Category.Unit)]
public sealed class FeeReserveTests
{
    [Theory]
    [InlineData(1_000, 985)]
    [InlineData(10, 0)]
    [InlineData(100_000, 99_492)]
    public void The_largest_affordable_amount_leaves_room_for_its_own_fee_reserve(long balanceSat, long expectedSat)
    {
        var fees = new FeeReserve(new AdmissionOptions { FeeLimitBase = Msat.FromSat(10), FeeLimitPpm = 5_000 });
        var max = fees.LargestAffordable(Msat.FromSat(balanceSat));
        Assert.Equal(Msat.FromSat(expectedSat), max);
        if (max.IsPositive)
        {
            Assert.True(max + fees.For(max) <= Msat.FromSat(balanceSat));
            var more = max + Msat.FromSat(1);
            Assert.True(more + fees.For(more) > Msat.FromSat(balanceSat));
        }
    }
}
