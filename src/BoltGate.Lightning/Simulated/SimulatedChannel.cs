using BoltGate.Core.Money;

namespace BoltGate.Lightning.Simulated;

/// <summary>
/// A channel of the simulated node: <see cref="Local"/> is what we can send over it (already net of the
/// reserve), <see cref="Remote"/> what we can receive. <see cref="ShortChannelId"/> is in the
/// <c>block x tx x output</c> form both wires print.
/// </summary>
public sealed record SimulatedChannel(string ShortChannelId, string PeerPubKeyHex, Msat Local, Msat Remote, bool Active)
{
    public Msat Capacity => Local + Remote;
}
