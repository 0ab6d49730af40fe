using BoltGate.Core.Money;

namespace BoltGate.Core.Tests.Money;

[Trait(Category.Name, Category.Unit)]
public class MsatTests
{
    [Fact]
    public void Overflow_throws_instead_of_wrapping()
    {
        var max = new Msat(long.MaxValue);
        Assert.Throws<OverflowException>(() => max + new Msat(1));
        Assert.Throws<OverflowException>(() => new Msat(long.MinValue) - new Msat(1));
        Assert.Throws<OverflowException>(() => -new Msat(long.MinValue));
        Assert.Throws<OverflowException>(() => max * 2);
        Assert.Throws<OverflowException>(() => Msat.FromSat(long.MaxValue / 999));
    }

    [Fact]
    public void FromSat_rejects_negative_and_scales_by_1000()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Msat.FromSat(-1));
        Assert.Equal(new Msat(21_000), Msat.FromSat(21));
        Assert.Equal(Msat.Zero, Msat.FromSat(0));
    }

    [Theory]
    [InlineData(1_000_000, 1_000, 1_000)] // 0.1 % of 1000 sat = 1 sat exactly
    [InlineData(1_000, 1, 1)] // 0.001 msat rounds up to 1
    [InlineData(999_999, 1, 1)] // 0.999999 rounds up to 1
    [InlineData(1_000_001, 1, 2)] // 1.000001 rounds up to 2
    [InlineData(123_456_789, 5_000, 617_284)] // 617283.945 -> 617284
    [InlineData(0, 10_000, 0)]
    [InlineData(5_000, 0, 0)]
    public void Ppm_rounds_up_to_whole_msat(long amount, long ppm, long expected)
    {
        Assert.Equal(new Msat(expected), new Msat(amount).Ppm(ppm));
    }

    [Fact]
    public void Ppm_rejects_a_negative_rate_and_handles_the_largest_amounts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Msat(1).Ppm(-1));
        Assert.Equal(new Msat(long.MaxValue), new Msat(long.MaxValue).Ppm(1_000_000));
    }

    [Fact]
    public void Sat_views_round_down_and_up()
    {
        Assert.Equal(1, new Msat(1_999).WholeSat);
        Assert.Equal(2, new Msat(1_001).SatCeiling);
        Assert.Equal(1, new Msat(1_000).SatCeiling);
        Assert.Equal("1500 msat", new Msat(1_500).ToString());
    }
}
