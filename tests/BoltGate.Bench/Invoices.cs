using System.Security.Cryptography;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Lightning.Simulated;

namespace BoltGate.Bench;

/// <summary>
/// Real signed BOLT11 invoices. "pays": a payee the server's simulated node does not know, which it pays at
/// once (type=simulated;unknownpayees=succeed;delay=0ms); "fails": the standard "broke" payee (no liquidity:
/// a definitive failure, at once), whose key every simulated network derives the same way.
/// </summary>
internal static class Invoices
{
    private static readonly byte[] PayeeKey = SHA256.HashData("boltgate/bench/payee"u8);
    private static readonly SimulatedNetwork Standard = NewStandard();

    public static string Pays(Msat amount) => Bolt11Encoder.Encode(new Bolt11InvoiceRequest(
        BitcoinNetwork.Regtest, amount, DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()), Bytes32.FromSpan(RandomNumberGenerator.GetBytes(32)),
        Bytes32.FromSpan(RandomNumberGenerator.GetBytes(32)), "bench", Expiry: TimeSpan.FromHours(1)), PayeeKey);

    public static string Fails(Msat amount) => Standard.CreatePayeeInvoice("broke", amount, "bench refund", TimeSpan.FromHours(1));

    private static SimulatedNetwork NewStandard()
    {
        var network = new SimulatedNetwork(BitcoinNetwork.Regtest, TimeProvider.System);
        network.AddStandardPayees();
        return network;
    }
}
