using System.Net;
using BoltGate.Client;
using BoltGate.Storage;

namespace BoltGate.Server.Tests;

/// <summary><c>POST /api/v1/cards/{id}/debit</c>: the operator takes money off a card, never below zero.</summary>
[Trait(Category.Name, Category.Contract)]
public sealed class CardDebitTests : GatewaySuite
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    [Fact]
    public async Task A_debit_lowers_the_balance_and_shows_in_the_ledger_with_its_reason()
    {
        var card = await Host.CreateCardAsync(balanceSat: 1_000);
        using var admin = Host.Admin();
        Assert.Equal(600_000, (await admin.DebitAsync(card.Id, 400, "paid out in cash", default)).BalanceMsat);
        var entry = (await admin.GetLedgerAsync(card.Id, default))[^1];
        Assert.Equal(("debit", -400_000L, "paid out in cash"), (entry.Kind, entry.AmountMsat, entry.Note));
        Assert.Equal(600_000, await Host.BalanceMsatAsync(card.Id));
        Assert.Empty(await Host.LedgerMismatchesAsync());
    }

    [Fact]
    public async Task A_debit_above_the_balance_is_a_409_and_changes_nothing()
    {
        var card = await Host.CreateCardAsync(balanceSat: 1_000);
        using var admin = Host.Admin();
        var refused = await Assert.ThrowsAsync<BoltGateApiException>(() => admin.DebitAsync(card.Id, 1_001, null, default));
        Assert.Equal((HttpStatusCode.Conflict, "INSUFFICIENT_BALANCE"), (refused.Status, refused.Code));
        Assert.Contains("1000000 msat", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1_000_000, await Host.BalanceMsatAsync(card.Id));
        Assert.Equal(0, (await admin.DebitAsync(card.Id, 1_000, null, default)).BalanceMsat);
    }

    [Fact]
    public async Task A_debit_of_nothing_or_of_an_unknown_card_is_refused()
    {
        var card = await Host.CreateCardAsync(balanceSat: 10);
        using var admin = Host.Admin();
        foreach (var amount in new long[] { 0, -5, 2_100_000_000_000_001 })
        {
            var bad = await Assert.ThrowsAsync<BoltGateApiException>(() => admin.DebitAsync(card.Id, amount, null, default));
            Assert.Equal((HttpStatusCode.BadRequest, "BAD_REQUEST"), (bad.Status, bad.Code));
        }
        var unknown = await Assert.ThrowsAsync<BoltGateApiException>(() => admin.DebitAsync("nope", 1, null, default));
        Assert.Equal((HttpStatusCode.NotFound, "CARD_NOT_FOUND"), (unknown.Status, unknown.Code));

        using var raw = Host.RawAdmin();
        using var noBody = await raw.PostAsync($"/api/v1/cards/{card.Id}/debit", null);
        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
        Assert.Equal(10_000, await Host.BalanceMsatAsync(card.Id));
    }
}
