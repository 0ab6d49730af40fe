namespace BoltGate.Core.Bitcoin;

/// <summary>The Bitcoin network a node or an invoice belongs to.</summary>
public enum BitcoinNetwork
{
    Mainnet,
    Testnet,
    Signet,
    Regtest,
}
