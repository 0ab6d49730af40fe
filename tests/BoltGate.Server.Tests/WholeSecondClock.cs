namespace BoltGate.Server.Tests;

/// <summary>
/// The real clock cut to whole seconds. BOLT11 timestamps are whole seconds and the simulated network
/// stamps its invoices with its clock's "now", so it must not see fractions.
/// </summary>
public sealed class WholeSecondClock : TimeProvider
{
    public static WholeSecondClock Instance { get; } = new();

    public override DateTimeOffset GetUtcNow()
    {
        var now = System.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    }
}
