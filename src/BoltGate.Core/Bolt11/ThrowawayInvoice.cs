using System.Security.Cryptography;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;

namespace BoltGate.Core.Bolt11;

/// <summary>
/// A real, signed BOLT11 invoice from a fresh random node key that no one will ever pay out to: what a
/// developer hands a gateway running the simulated node (which pays unknown payees) to see a withdrawal
/// through without a wallet. Never useful on mainnet: no one holds the preimage.
/// </summary>
public static class ThrowawayInvoice
{
    public static string Create(BitcoinNetwork network, Msat amount, DateTimeOffset now, string description, TimeSpan expiry)
    {
        var preimage = RandomNumberGenerator.GetBytes(32);
        var request = new Bolt11InvoiceRequest(network, amount, DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()),
            Bytes32.Sha256(preimage), Bytes32.FromSpan(RandomNumberGenerator.GetBytes(32)), description, Expiry: expiry);
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            return Bolt11Encoder.Encode(request, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
