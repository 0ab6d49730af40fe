using BoltGate.Core.Bitcoin;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Money;
using BoltGate.Lightning.Fakes.CoreLightning;
using BoltGate.Lightning.Fakes.Lnd;
using BoltGate.Lightning.Simulated;

namespace BoltGate.Pos.Tests;

/// <summary>
/// The merchant's node behind the POS is a real client (LND REST / Core Lightning JSON-RPC) talking to
/// the wire fakes: the invoice the terminal asks for is the merchant node's own, for the amount asked,
/// and the in-process gateway pays it.
/// </summary>
[Trait(Category.Name, Category.Contract)]
public sealed class PosAgainstNodeFakesTests(InProcessGateway gateway) : IClassFixture<InProcessGateway>
{
    private static SimulatedNetwork MerchantNetwork() => new(BitcoinNetwork.Regtest, TimeProvider.System, nodeSeed: "merchant");

    [Fact]
    public async Task An_lnd_merchant_node_makes_the_invoice_and_the_gateway_pays_it()
    {
        var network = MerchantNetwork();
        await using var lnd = await LndRestFake.StartAsync(network);
        await AssertSaleAsync(lnd.ConnectionString, network);
    }

    [Fact]
    public async Task A_core_lightning_merchant_node_makes_the_invoice_and_the_gateway_pays_it()
    {
        var network = MerchantNetwork();
        await using var cln = ClnRpcFake.Start(network);
        await AssertSaleAsync(cln.ConnectionString, network);
    }

    private async Task AssertSaleAsync(string merchantConnection, SimulatedNetwork merchant)
    {
        var card = await gateway.CreateCardAsync(3_000);
        var options = PosArguments.Parse(["--gateway", "http://localhost", "--uid", card.Uid, "--k1", card.K1, "--k2", card.K2,
            "--counter", "1", "--node", merchantConnection, "--amount-sat", "1234", "--description", "POS sale"]);

        var result = await PosCommand.RunAsync(options, TimeProvider.System, CancellationToken.None, gateway.Server.CreateHandler());

        Assert.NotNull(result);
        Assert.Equal(PosOutcome.Paid, result.Outcome);
        var invoice = Assert.IsType<Bolt11DecodeResult.Ok>(Bolt11Decoder.Decode(result.Invoice!)).Invoice;
        Assert.Equal(Msat.FromSat(1_234), invoice.Amount);
        Assert.Equal(merchant.NodePubKeyHex, invoice.PayeeHex);
        Assert.Equal("POS sale", invoice.Description);
        Assert.NotNull(merchant.CurrentInvoiceStatus(invoice.PaymentHash));
    }

    [Fact]
    public async Task An_unreachable_merchant_node_is_an_invoice_error_and_nothing_is_charged()
    {
        var card = await gateway.CreateCardAsync(3_000);
        var options = PosArguments.Parse(["--gateway", "http://localhost", "--uid", card.Uid, "--k1", card.K1, "--k2", card.K2,
            "--counter", "1", "--node", "type=clightning;server=unix:///nonexistent/boltgate-pos/lightning-rpc", "--amount-sat", "10"]);

        var result = await PosCommand.RunAsync(options, TimeProvider.System, CancellationToken.None, gateway.Server.CreateHandler());

        Assert.NotNull(result);
        Assert.Equal(PosOutcome.Error, result.Outcome);
        Assert.Equal(PosStage.Invoice, result.Stage);
        Assert.Equal(4, result.ExitCode);
        Assert.Equal(Msat.FromSat(3_000).Value, await gateway.BalanceMsatAsync(card.Id));
    }
}
