using BoltGate.Core.Money;

namespace BoltGate.Lightning;

/// <summary>
/// What the node can move over its active channels right now: <see cref="Known.Outbound"/> it can send
/// (spendable by us), <see cref="Known.Inbound"/> it can receive, summed over <see cref="Known.ActiveChannels"/>.
/// A node that cannot tell (unreachable, an old version, a refused call) answers <see cref="Unknown"/> with its reason.
/// </summary>
public abstract record NodeLiquidity
{
    private NodeLiquidity()
    {
    }

    public sealed record Known(Msat Outbound, Msat Inbound, int ActiveChannels) : NodeLiquidity;

    public sealed record Unknown(string Reason) : NodeLiquidity;
}
