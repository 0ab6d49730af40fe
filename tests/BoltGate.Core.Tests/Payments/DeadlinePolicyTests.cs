using BoltGate.Core.Payments;

namespace BoltGate.Core.Tests.Payments;

[Trait(Category.Name, Category.Unit)]
public class DeadlinePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly DeadlinePolicy Policy = new()
    {
        SafetyMargin = TimeSpan.FromSeconds(30),
        Maximum = TimeSpan.FromSeconds(60),
        MinimumWindow = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public void Long_lived_invoice_is_bounded_by_the_policy_maximum()
    {
        Assert.Equal(Now.AddSeconds(60), Policy.DeadlineFor(Now.AddHours(1), Now));
    }

    [Fact]
    public void Short_lived_invoice_is_bounded_by_its_expiry_less_the_margin()
    {
        Assert.Equal(Now.AddSeconds(15), Policy.DeadlineFor(Now.AddSeconds(45), Now));
    }

    [Theory]
    [InlineData(39)] // 9 s left after the margin
    [InlineData(30)] // nothing left
    [InlineData(-5)] // already expired
    public void Refuses_when_less_than_the_minimum_window_is_left(int expiresInSeconds)
    {
        Assert.Null(Policy.DeadlineFor(Now.AddSeconds(expiresInSeconds), Now));
    }

    [Fact]
    public void Exactly_the_minimum_window_is_enough()
    {
        Assert.Equal(Now.AddSeconds(10), Policy.DeadlineFor(Now.AddSeconds(40), Now));
    }

    [Fact]
    public void Validation_names_the_bad_option()
    {
        Assert.Null(Policy.Validate());
        Assert.Contains("MinimumWindow", (Policy with { MinimumWindow = TimeSpan.FromMinutes(5) }).Validate());
        Assert.Contains("Maximum", (Policy with { Maximum = TimeSpan.Zero }).Validate());
        Assert.Contains("SafetyMargin", (Policy with { SafetyMargin = TimeSpan.FromSeconds(-1) }).Validate());
    }
}
