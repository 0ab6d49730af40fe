using BoltGate.Core.Money;

namespace BoltGate.Lightning;

/// <summary>Whether the node knows a route to a payee for an amount. A probe never sends money.</summary>
public abstract record RouteProbe
{
    private RouteProbe()
    {
    }

    public sealed record Found(Msat Fee, int Hops) : RouteProbe;

    public sealed record NoRoute(string NodeMessage) : RouteProbe;

    public sealed record Unknown(string Reason) : RouteProbe;
}
