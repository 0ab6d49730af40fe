using BoltGate.Core.Bitcoin;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Money;
using BoltGate.Lightning.Simulated;
using Microsoft.Extensions.Time.Testing;

namespace BoltGate.Lightning.Tests;

[Trait(Category.Name, Category.Unit)]
public class SimulatedInvoiceClockTests
{
    [Fact]
    public void Invoices_are_stamped_in_whole_seconds_whatever_the_clock_precision()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, 734, TimeSpan.Zero));
        var network = new SimulatedNetwork(BitcoinNetwork.Regtest, clock);
        network.AddStandardPayees();

        var payee = Assert.IsType<Bolt11DecodeResult.Ok>(Bolt11Decoder.Decode(network.CreatePayeeInvoice("alice", Msat.FromSat(21))));
        var own = Assert.IsType<Bolt11DecodeResult.Ok>(Bolt11Decoder.Decode(network.CreateInvoice(Msat.FromSat(21), "top-up", TimeSpan.FromMinutes(5)).Bolt11));

        Assert.Equal(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero), payee.Invoice.Timestamp);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero), own.Invoice.Timestamp);
    }
}
