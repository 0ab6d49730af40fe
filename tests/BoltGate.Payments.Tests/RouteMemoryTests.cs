using Microsoft.Extensions.Time.Testing;

namespace BoltGate.Payments.Tests;

[Trait(Category.Name, Category.Unit)]
public class RouteMemoryTests
{
    private const string Payee = "02aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899";

    [Fact]
    public void Remembers_no_route_until_the_ttl_passes()
    {
        var time = new FakeTimeProvider();
        var memory = new RouteMemory(time, TimeSpan.FromMinutes(10));
        Assert.False(memory.ShouldProbe(Payee));

        memory.RememberNoRoute(Payee);
        Assert.True(memory.ShouldProbe(Payee));
        Assert.True(memory.ShouldProbe(Payee.ToUpperInvariant()));

        time.Advance(TimeSpan.FromMinutes(9));
        Assert.True(memory.ShouldProbe(Payee));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(memory.ShouldProbe(Payee));
        Assert.Equal(0, memory.Count);
    }

    [Fact]
    public void A_found_route_forgets_the_payee()
    {
        var memory = new RouteMemory(new FakeTimeProvider());
        memory.RememberNoRoute(Payee);
        memory.Forget(Payee);
        Assert.False(memory.ShouldProbe(Payee));
    }

    [Fact]
    public void Holds_at_most_its_capacity_dropping_the_oldest()
    {
        var time = new FakeTimeProvider();
        var memory = new RouteMemory(time, TimeSpan.FromHours(1), capacity: 3);
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            memory.RememberNoRoute(name);
            time.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(3, memory.Count);
        Assert.False(memory.ShouldProbe("a"));
        Assert.True(memory.ShouldProbe("d"));
    }
}
