using BoltGate.Core.Money;

namespace BoltGate.Lightning.Simulated;

/// <summary>
/// How a simulated payee (and the network on the way to it) treats a payment. The simulated node
/// and the test fakes of LND and Core Lightning all play these, each in its own wire format.
/// </summary>
public abstract record PayeeBehavior
{
    private PayeeBehavior()
    {
    }

    /// <summary>Settles after <paramref name="After"/>, costing <paramref name="Fee"/> in routing fees.</summary>
    public sealed record Succeed(TimeSpan After, Msat Fee) : PayeeBehavior;

    /// <summary>No route exists: fails at once, nothing is sent.</summary>
    public sealed record NoRoute : PayeeBehavior;

    /// <summary>Our channels cannot carry the amount: fails at once, nothing is sent.</summary>
    public sealed record InsufficientLiquidity : PayeeBehavior;

    /// <summary>The payee rejects the HTLC (unknown or already used invoice) after <paramref name="After"/>.</summary>
    public sealed record Rejects(TimeSpan After) : PayeeBehavior;

    /// <summary>Every attempt fails on the way and the node keeps trying until its own deadline: then fails with a timeout.</summary>
    public sealed record RetriesUntilDeadline : PayeeBehavior;

    /// <summary>An HTLC stays out for <paramref name="For"/>, then settles (<paramref name="ThenSettle"/>) or fails.</summary>
    public sealed record HeldInFlight(TimeSpan For, bool ThenSettle, Msat Fee) : PayeeBehavior;

    /// <summary>Split in two parts: one fails at once, the other stays out for <paramref name="For"/>, then settles or fails.</summary>
    public sealed record OnePartFailsOtherHeld(TimeSpan For, bool ThenSettle, Msat Fee) : PayeeBehavior;

    /// <summary>An HTLC goes out and never resolves (until a test resolves it).</summary>
    public sealed record Hang : PayeeBehavior;
}

/// <summary>What the simulated node does with an invoice whose payee it does not know.</summary>
public enum UnknownPayeePolicy
{
    /// <summary>Pretend to pay it (after the configured delay): any wallet's invoice works in a demo.</summary>
    Succeed,

    /// <summary>Fail with no route.</summary>
    NoRoute,
}
