using BoltGate.Core.Bitcoin;

namespace BoltGate.Core.Bolt11;

/// <summary>The BOLT 11 currency prefixes (after "ln") of the networks BoltGate knows.</summary>
internal static class Bolt11Network
{
    public static bool TryParse(ReadOnlySpan<char> prefix, out BitcoinNetwork network)
    {
        switch (prefix)
        {
            case "bc": network = BitcoinNetwork.Mainnet; return true;
            case "tb": network = BitcoinNetwork.Testnet; return true;
            case "tbs": network = BitcoinNetwork.Signet; return true;
            case "bcrt": network = BitcoinNetwork.Regtest; return true;
            default: network = default; return false;
        }
    }

    public static string Prefix(BitcoinNetwork network) => network switch
    {
        BitcoinNetwork.Mainnet => "bc",
        BitcoinNetwork.Testnet => "tb",
        BitcoinNetwork.Signet => "tbs",
        BitcoinNetwork.Regtest => "bcrt",
        _ => throw new ArgumentOutOfRangeException(nameof(network), network, "Unknown network."),
    };
}
