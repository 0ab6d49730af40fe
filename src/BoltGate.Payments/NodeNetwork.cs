using BoltGate.Core.Bitcoin;
using BoltGate.Lightning;

namespace BoltGate.Payments;

/// <summary>The Bitcoin network of our node, asked once and remembered (a callback's invoice must match it).</summary>
public sealed class NodeNetwork(ILightningNode node)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private BitcoinNetwork? _network;

    /// <summary>The node's network, or null when the node cannot be reached right now.</summary>
    public async Task<BitcoinNetwork?> GetAsync(CancellationToken ct)
    {
        if (_network is { } known)
            return known;
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_network is null)
            {
                try
                {
                    _network = (await node.GetInfoAsync(ct).ConfigureAwait(false)).Network;
                }
                catch (Exception e) when (e is LightningNodeException or HttpRequestException or IOException or TimeoutException)
                {
                    return null;
                }
            }
            return _network;
        }
        finally
        {
            _lock.Release();
        }
    }
}
