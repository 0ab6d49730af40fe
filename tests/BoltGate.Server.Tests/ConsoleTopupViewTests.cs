using BoltGate.Core.Bitcoin;
using BoltGate.Core.Money;
using BoltGate.Lightning.Simulated;
using BoltGate.Server.Pages.Console;
using BoltGate.Storage.Topups;
using Microsoft.Extensions.Time.Testing;

namespace BoltGate.Server.Tests;

/// <summary>What the card page says about a top-up: waiting, paid, or expired (also when past its expiry before the watcher marked it).</summary>
[Trait(Category.Name, Category.Unit)]
public sealed class ConsoleTopupViewTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    private Topup Open(string description)
    {
        var network = new SimulatedNetwork(BitcoinNetwork.Regtest, _time);
        var invoice = network.CreateInvoice(Msat.FromSat(2_500), description, TimeSpan.FromMinutes(10));
        return new Topup("t1", "c1", invoice.PaymentHash.ToHex(), invoice.Bolt11, invoice.Amount, TopupState.Open, null, _time.GetUtcNow(),
            invoice.ExpiresAt, null);
    }

    [Fact]
    public void An_open_top_up_waits_until_its_expiry_then_reads_expired_even_before_the_watcher_marks_it()
    {
        var topup = Open("BoltGate top-up of card Bar: tab: gate 3: VIP");
        var view = TopupView.Of(topup, "Bar: tab", _time.GetUtcNow());
        Assert.True(view.Waiting);
        Assert.Equal("gate 3: VIP", view.Memo);
        Assert.Equal("LIGHTNING:" + topup.Bolt11.ToUpperInvariant(), view.QrText);
        Assert.DoesNotMatch("[a-z]", view.QrText);

        var late = TopupView.Of(topup, "Bar: tab", topup.ExpiresAt);
        Assert.True(late.Expired);
        Assert.False(late.Waiting);
        Assert.True(TopupView.Of(topup with { State = TopupState.Expired }, "Bar: tab", _time.GetUtcNow()).Expired);
    }

    [Fact]
    public void A_paid_top_up_is_paid_even_after_its_expiry_and_has_no_memo_when_none_was_given()
    {
        var paid = Open("BoltGate top-up of card Bar") with { State = TopupState.Paid, Received = Msat.FromSat(2_500) };
        var view = TopupView.Of(paid, "Bar", paid.ExpiresAt.AddHours(1));
        Assert.True(view.Paid);
        Assert.False(view.Expired);
        Assert.Null(view.Memo);
    }
}
