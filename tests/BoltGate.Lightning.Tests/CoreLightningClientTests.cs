using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Lightning.CoreLightning;
using BoltGate.Lightning.Fakes.CoreLightning;
using BoltGate.Lightning.Simulated;
using Microsoft.Extensions.Time.Testing;

namespace BoltGate.Lightning.Tests;

/// <summary>Core Lightning specifics: which command each version gets, and an absent socket.</summary>
[Trait(Category.Name, Category.Contract)]
public sealed class CoreLightningClientTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    private static PayRequest Request(Msat amount, Msat maxFee) =>
        new("lnbcrt1...", Bytes32.Sha256([1]), amount, maxFee, DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("v26.06-258-g090f4b0", "xpay", "maxfee")]
    [InlineData("v24.11.1", "xpay", "maxfee")]
    [InlineData("v24.08.2", "pay", "maxfee")]
    [InlineData("v0.11.2", "pay", "maxfee")]
    [InlineData("0.10.2", "pay", "maxfeepercent")]
    public void Version_picks_the_pay_command_and_fee_cap(string version, string method, string feeKey)
    {
        Assert.True(ClnVersion.TryParse(version, out var v));
        var (m, p) = CoreLightningClient.PayCommand(v, Request(Msat.FromSat(1_000), new Msat(10_000)), 28);
        Assert.Equal(method, m);
        Assert.True(p.ContainsKey(feeKey));
        Assert.Equal(28, p["retry_for"]);
        Assert.False(p.ContainsKey("amount_msat"));
    }

    [Fact]
    public void Old_pay_gets_the_cap_as_a_percentage_without_exemption()
    {
        var (_, p) = CoreLightningClient.PayCommand(new ClnVersion(0, 10), Request(Msat.FromSat(1_000), new Msat(10_000)), 28);
        Assert.Equal(1.0m, p["maxfeepercent"]);
        Assert.Equal(0, p["exemptfee"]);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("v24.05", "pay")]
    [InlineData("v26.06", "xpay")]
    public async Task Client_reads_the_version_then_uses_that_command(string version, string expected)
    {
        var network = new SimulatedNetwork(Core.Bitcoin.BitcoinNetwork.Regtest, _time);
        network.AddStandardPayees();
        await using var fake = ClnRpcFake.Start(network, version);
        using var client = new CoreLightningClient((LightningConnectionString.CoreLightning)LightningConnectionString.Parse(fake.ConnectionString), _time);
        var bolt11 = network.CreatePayeeInvoice("noroute", Msat.FromSat(1_000));
        var hash = ((Core.Bolt11.Bolt11DecodeResult.Ok)Core.Bolt11.Bolt11Decoder.Decode(bolt11)).Invoice.PaymentHash;
        var outcome = await client.PayAsync(new PayRequest(bolt11, hash, Msat.FromSat(1_000), new Msat(10_000), _time.GetUtcNow().AddSeconds(30)), null, CancellationToken.None);
        Assert.Equal(FailureKind.NoRoute, Assert.IsType<PaymentOutcome.Failed>(outcome).Kind);
        lock (fake.Calls)
            Assert.Equal(["getinfo", expected, "listpays"], fake.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task Liquidity_from_a_node_before_listpeerchannels_or_without_a_socket_is_unknown_not_an_exception()
    {
        var network = new SimulatedNetwork(Core.Bitcoin.BitcoinNetwork.Regtest, _time);
        network.AddStandardPayees();
        await using (var fake = ClnRpcFake.Start(network, "v22.11.1"))
        {
            using var old = new CoreLightningClient((LightningConnectionString.CoreLightning)LightningConnectionString.Parse(fake.ConnectionString), _time);
            var unknown = Assert.IsType<NodeLiquidity.Unknown>(await old.GetLiquidityAsync(CancellationToken.None));
            Assert.Contains("listpeerchannels", unknown.Reason, StringComparison.Ordinal);
        }
        using var absent = new CoreLightningClient(new LightningConnectionString.CoreLightning("/nonexistent/boltgate/lightning-rpc", null, 0), _time);
        Assert.IsType<NodeLiquidity.Unknown>(await absent.GetLiquidityAsync(CancellationToken.None));
    }

    [Fact(Timeout = 30_000)]
    public async Task Missing_socket_fails_as_node_unavailable()
    {
        using var client = new CoreLightningClient(new LightningConnectionString.CoreLightning("/nonexistent/boltgate/lightning-rpc", null, 0), _time);
        var outcome = await client.PayAsync(Request(Msat.FromSat(1), Msat.Zero) with { Deadline = _time.GetUtcNow().AddSeconds(30) }, null, CancellationToken.None);
        Assert.Equal(FailureKind.NodeUnavailable, Assert.IsType<PaymentOutcome.Failed>(outcome).Kind);
        Assert.IsType<PaymentLookup.Unavailable>(await client.TrackAsync(Bytes32.Sha256([1]), CancellationToken.None));
    }
}
