using BoltGate.Core.Bolt11;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Lightning.Simulated;
using Microsoft.Extensions.Time.Testing;

namespace BoltGate.Lightning.Tests;

/// <summary>
/// The simulated node's stand-in for a merchant's hold invoice (the regtest demo's third step): the
/// <c>hold-settle</c> and <c>hold-cancel</c> payees keep the HTLC out for <c>holdfor</c>, then settle it
/// or cancel it, and the payment stays Unknown (never Failed) while it is held.
/// </summary>
[Trait(Category.Name, Category.Unit)]
public sealed class SimulatedHoldInvoiceTests
{
    [Fact]
    public void Holdfor_is_parsed_and_shown_and_a_bad_value_names_the_key()
    {
        var sim = Assert.IsType<LightningConnectionString.Simulated>(LightningConnectionString.Parse("type=simulated;holdfor=1500ms"));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), sim.HoldFor);
        Assert.Contains("holdfor=1500ms", sim.ToString(), StringComparison.Ordinal);
        Assert.Null(Assert.IsType<LightningConnectionString.Simulated>(LightningConnectionString.Parse("type=simulated")).HoldFor);
        Assert.False(LightningConnectionString.TryParse("type=simulated;holdfor=0s", out _, out var error));
        Assert.Contains("'holdfor'", error, StringComparison.Ordinal);
        Assert.False(LightningConnectionString.TryParse("type=simulated;holdfor=later", out _, out _));
    }

    [Theory]
    [InlineData("hold-settle", true)]
    [InlineData("hold-cancel", false)]
    public async Task A_held_payment_is_unknown_while_held_then_ends_as_the_merchant_decides(string payee, bool settles)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var node = Assert.IsType<SimulatedNode>(LightningNodeFactory.Create("type=simulated;holdfor=5s", time));
        var bolt11 = node.CreatePayeeInvoice(payee, Msat.FromSat(100));
        var invoice = ((Bolt11DecodeResult.Ok)Bolt11Decoder.Decode(bolt11)).Invoice;
        var pay = node.PayAsync(new PayRequest(bolt11, invoice.PaymentHash, Msat.FromSat(100), Msat.FromSat(10), time.GetUtcNow().AddSeconds(30)),
            null, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(4));
        var held = Assert.IsType<PaymentLookup.Found>(await node.TrackAsync(invoice.PaymentHash, CancellationToken.None));
        Assert.IsType<PaymentOutcome.Unknown>(held.Outcome);
        Assert.False(pay.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        var outcome = await pay.WaitAsync(TimeSpan.FromSeconds(10));
        if (settles)
            Assert.IsType<PaymentOutcome.Succeeded>(outcome);
        else
            Assert.IsType<PaymentOutcome.Failed>(outcome);
    }

    [Fact]
    public async Task Without_holdfor_the_hold_payees_hold_for_the_default()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var node = Assert.IsType<SimulatedNode>(LightningNodeFactory.Create("type=simulated", time));
        var bolt11 = node.CreatePayeeInvoice("hold-settle", Msat.FromSat(100));
        var invoice = ((Bolt11DecodeResult.Ok)Bolt11Decoder.Decode(bolt11)).Invoice;
        var pay = node.PayAsync(new PayRequest(bolt11, invoice.PaymentHash, Msat.FromSat(100), Msat.FromSat(10), time.GetUtcNow().AddSeconds(60)),
            null, CancellationToken.None);
        time.Advance(SimulatedNetwork.DefaultHoldFor - TimeSpan.FromSeconds(1));
        Assert.IsType<PaymentOutcome.Unknown>(((PaymentLookup.Found)await node.TrackAsync(invoice.PaymentHash, CancellationToken.None)).Outcome);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.IsType<PaymentOutcome.Succeeded>(await pay.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
