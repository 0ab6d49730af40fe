namespace BoltGate.Payments;

/// <summary>What the route check before reserving says.</summary>
public abstract record Preflight
{
    private Preflight()
    {
    }

    /// <summary>Go ahead and reserve.</summary>
    public sealed record Proceed : Preflight
    {
        public static Proceed Instance { get; } = new();
    }

    /// <summary>The payee failed with NO_ROUTE recently and the node still knows no route: refuse, nothing reserved.</summary>
    public sealed record NoRoute(string NodeMessage) : Preflight;
}
