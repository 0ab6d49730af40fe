using BoltGate.Core.Bitcoin;

namespace BoltGate.Lightning;

/// <summary>What a node says about itself. <see cref="PubKey"/> is 66 lower-case hex characters.</summary>
public sealed record NodeInfo(BitcoinNetwork Network, string PubKey, bool Synced, string Alias, string Version);
