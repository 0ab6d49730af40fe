using System.Text.Json;
using BoltGate.Core.Money;
using BoltGate.Lightning;
using BoltGate.Lightning.Simulated;

namespace BoltGate.Pos.Tests;

/// <summary>
/// boltgate-pos against the real gateway in-process (the embedded demo's set-up): the merchant's
/// invoices come from payees of the simulated network, which the gateway's own simulated node plays.
/// </summary>
[Trait(Category.Name, Category.Contract)]
public sealed class PosAgainstGatewayTests(InProcessGateway gateway) : IClassFixture<InProcessGateway>, IDisposable
{
    private readonly SimulatedNode _merchant = (SimulatedNode)LightningNodeFactory.Create("type=simulated", TimeProvider.System);

    private PosTerminal Terminal() => new(gateway.CreateClient(), TimeProvider.System);

    private IInvoiceSource Payee(string name) => new SimulatedPayeeInvoices(_merchant, name, TimeSpan.FromMinutes(10));

    [Fact]
    public async Task A_sale_to_the_merchant_is_paid_and_the_card_is_charged()
    {
        var card = await gateway.CreateCardAsync(5_000);
        var result = await Terminal().SellAsync(card.Tap(1), Payee("alice"), Msat.FromSat(1_200), "coffee", CancellationToken.None);

        Assert.Equal(PosOutcome.Paid, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1_200, result.AmountSat);
        Assert.Matches("^[0-9a-f]{64}$", result.PaymentHash!);
        Assert.True(result.Timings.TotalMs >= result.Timings.CallbackMs);
        Assert.True(await gateway.BalanceMsatAsync(card.Id) <= Msat.FromSat(3_800).Value);
        Assert.Equal("Succeeded", await gateway.LatestWithdrawalStateAsync(card.Id));
    }

    [Fact]
    public async Task A_payee_without_a_route_is_refused_with_NO_ROUTE_and_the_card_keeps_its_money()
    {
        var card = await gateway.CreateCardAsync(5_000);
        var result = await Terminal().SellAsync(card.Tap(1), Payee("noroute"), Msat.FromSat(500), null, CancellationToken.None);

        Assert.Equal(PosOutcome.Refused, result.Outcome);
        Assert.Equal(PosStage.Callback, result.Stage);
        Assert.Equal("NO_ROUTE", result.Code);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(Msat.FromSat(5_000).Value, await gateway.BalanceMsatAsync(card.Id));
    }

    [Fact]
    public async Task A_hold_invoice_is_pending_with_the_money_held_then_settles()
    {
        var card = await gateway.CreateCardAsync(5_000);
        var result = await Terminal().SellAsync(card.Tap(1), Payee("hold-settle"), Msat.FromSat(700), null, CancellationToken.None);

        Assert.Equal(PosOutcome.Pending, result.Outcome);
        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("pending", result.Reason, StringComparison.Ordinal);
        Assert.True(await gateway.BalanceMsatAsync(card.Id) <= Msat.FromSat(4_300).Value, "the held amount is not on the card while in flight");
        await WaitForStateAsync(card.Id, "Succeeded");
        Assert.True(await gateway.BalanceMsatAsync(card.Id) <= Msat.FromSat(4_300).Value);
    }

    [Fact]
    public async Task A_cancelled_hold_invoice_is_refunded()
    {
        var card = await gateway.CreateCardAsync(5_000);
        var result = await Terminal().SellAsync(card.Tap(1), Payee("hold-cancel"), Msat.FromSat(800), null, CancellationToken.None);

        Assert.Equal(PosOutcome.Pending, result.Outcome);
        await WaitForStateAsync(card.Id, "Failed");
        Assert.Equal(Msat.FromSat(5_000).Value, await gateway.BalanceMsatAsync(card.Id));
    }

    [Fact]
    public async Task A_replayed_tap_is_refused_at_the_tap_with_REPLAY()
    {
        var card = await gateway.CreateCardAsync(5_000);
        var tap = card.Tap(3);
        Assert.Equal(PosOutcome.Paid, (await Terminal().SellAsync(tap, Payee("alice"), Msat.FromSat(100), null, CancellationToken.None)).Outcome);
        var before = await gateway.BalanceMsatAsync(card.Id);

        var replay = await Terminal().SellAsync(tap, Payee("alice"), Msat.FromSat(100), null, CancellationToken.None);

        Assert.Equal(PosOutcome.Refused, replay.Outcome);
        Assert.Equal(PosStage.Tap, replay.Stage);
        Assert.Equal("REPLAY", replay.Code);
        Assert.Null(replay.Invoice);
        Assert.Equal(before, await gateway.BalanceMsatAsync(card.Id));
    }

    [Fact]
    public async Task An_amount_above_the_cards_offer_is_refused_before_any_invoice_is_made()
    {
        var card = await gateway.CreateCardAsync(1_000);
        var result = await Terminal().SellAsync(card.Tap(1), Payee("alice"), Msat.FromSat(5_000), null, CancellationToken.None);

        Assert.Equal(PosOutcome.Refused, result.Outcome);
        Assert.Equal(PosStage.Offer, result.Stage);
        Assert.Equal("AMOUNT_OUT_OF_RANGE", result.Code);
        Assert.Null(result.Invoice);
    }

    [Fact]
    public async Task Without_an_amount_the_terminal_charges_what_the_card_offers()
    {
        var card = await gateway.CreateCardAsync(1_000);
        var result = await Terminal().SellAsync(card.Tap(1), Payee("alice"), null, null, CancellationToken.None);

        Assert.Equal(PosOutcome.Paid, result.Outcome);
        Assert.True(result.AmountSat is > 0 and <= 1_000, $"charged {result.AmountSat} sat");
    }

    [Fact]
    public async Task The_command_line_runs_a_sale_and_prints_json_a_script_can_read()
    {
        var card = await gateway.CreateCardAsync(2_000);
        var options = PosArguments.Parse(["--gateway", "http://localhost", "--uid", card.Uid, "--k1", card.K1, "--k2", card.K2,
            "--counter", "7", "--node", "type=simulated", "--payee", "alice", "--amount-sat", "300", "--json"]);

        var result = await PosCommand.RunAsync(options, TimeProvider.System, CancellationToken.None, gateway.Server.CreateHandler());

        Assert.NotNull(result);
        using var json = JsonDocument.Parse(result.ToJson());
        Assert.Equal("paid", json.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(300, json.RootElement.GetProperty("amountSat").GetInt64());
        Assert.True(json.RootElement.GetProperty("timings").GetProperty("totalMs").GetInt64() >= 0);
        Assert.Contains("PAID 300 sat", result.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_tap_is_refused_by_the_gateway_with_its_code()
    {
        var card = await gateway.CreateCardAsync(1_000);
        var tap = card.Tap(1).ToString();
        var tampered = new Uri(tap[..^1] + (tap[^1] == '0' ? '1' : '0'));

        var result = await Terminal().SellAsync(tampered, Payee("alice"), Msat.FromSat(10), null, CancellationToken.None);

        Assert.Equal(PosOutcome.Refused, result.Outcome);
        Assert.Equal(PosStage.Tap, result.Stage);
        Assert.False(string.IsNullOrEmpty(result.Code));
        Assert.Equal(Msat.FromSat(1_000).Value, await gateway.BalanceMsatAsync(card.Id));
    }

    private async Task WaitForStateAsync(string cardId, string state)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        string last;
        do
        {
            last = await gateway.LatestWithdrawalStateAsync(cardId);
            if (last == state)
                return;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < until);
        Assert.Fail($"the withdrawal stayed {last}, expected {state}");
    }

    public void Dispose() => _merchant.Dispose();
}
