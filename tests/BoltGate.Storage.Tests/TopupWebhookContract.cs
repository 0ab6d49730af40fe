using BoltGate.Core.Money;
using BoltGate.Storage.Outbox;
using BoltGate.Storage.Topups;
using BoltGate.Storage.Webhooks;

namespace BoltGate.Storage.Tests;

/// <summary>
/// Top-ups and webhook deliveries on SQLite and PostgreSQL: a payment hash credits once however many
/// report it at once; each event becomes one delivery per webhook however often the fan-out runs; two
/// claimers (two instances) never hold the same delivery; only the lease owner records an attempt.
/// </summary>
public abstract class TopupWebhookContract : StoreTestBase
{
    [Fact]
    public async Task Concurrent_reports_of_one_paid_top_up_credit_the_card_once()
    {
        var card = await NewCardAsync();
        var hash = RandomHex(32);
        var topup = await Store.CreateTopupAsync(card.Id, hash, "lnbcrt1fake", new Msat(5_000_000), Start.AddHours(1));
        Assert.NotNull(topup);
        Assert.Null(await Store.CreateTopupAsync(RandomHex(16), RandomHex(32), "lnbcrt1fake", new Msat(1), Start.AddHours(1)));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => Store.MarkTopupPaidAsync(hash, new Msat(5_000_000), Start))));

        Assert.Single(results, r => r == TopupPaidResult.Credited);
        Assert.Equal(new Msat(5_000_000), await BalanceAsync(card.Id));
        Assert.Single(await Store.ListLedgerAsync(card.Id));
        Assert.Single(await Store.ListOutboxEventsAsync(0, 100), e => e.Type == OutboxEventTypes.TopupPaid);
        Assert.Equal(TopupState.Paid, (await Store.GetTopupAsync(topup!.Id))!.State);
        Assert.False(await Store.MarkTopupExpiredAsync(hash)); // paid stays paid
        Assert.Equal(TopupPaidResult.NotFound, await Store.MarkTopupPaidAsync(RandomHex(32), new Msat(1), Start));
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task Each_event_becomes_one_delivery_per_webhook_that_wants_it_and_two_claimers_never_share_one()
    {
        await NewCardAsync(); // before the webhooks: heard by none
        var all = await Store.CreateWebhookAsync("https://a.example/hook", [OutboxEventTypes.CardCreated, OutboxEventTypes.CardCredited], new byte[32]);
        var credits = await Store.CreateWebhookAsync("https://b.example/hook", [OutboxEventTypes.CardCredited], new byte[32]);
        for (var i = 0; i < 5; i++)
            await NewCardAsync(balanceSat: 1); // card.created + card.credited each

        var fanned = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Store.FanOutWebhookEventsAsync(200))));
        Assert.Equal(11, fanned.Sum()); // every event read once, the one before the webhooks included (it goes nowhere)
        Assert.Equal(0, await Store.FanOutWebhookEventsAsync(200));
        Assert.Equal(10, (await Store.ListWebhookDeliveriesAsync(all.Id, 100)).Count);
        Assert.Equal(5, (await Store.ListWebhookDeliveriesAsync(credits.Id, 100)).Count);
        Assert.Equal(15, await Store.WebhookBacklogAsync());

        var claims = await Task.WhenAll(
            Task.Run(() => Store.ClaimWebhookDeliveriesAsync("one", TimeSpan.FromMinutes(1), 10)),
            Task.Run(() => Store.ClaimWebhookDeliveriesAsync("two", TimeSpan.FromMinutes(1), 10)));
        // Skipping rows the other claimer has locked may leave some for the next pass; none is held twice.
        var rest = await Store.ClaimWebhookDeliveriesAsync("three", TimeSpan.FromMinutes(1), 100);
        var ids = claims.SelectMany(c => c.Select(d => d.Id)).Concat(rest.Select(d => d.Id)).ToList();
        Assert.Equal(15, ids.Count);
        Assert.Equal(15, ids.Distinct().Count());
        Assert.Empty(await Store.ClaimWebhookDeliveriesAsync("four", TimeSpan.FromMinutes(1), 10));

        var first = claims[0].Count > 0 ? (claims[0][0], "one") : (claims[1][0], "two");
        var attempt = new DeliveryAttempt(Start, 200, null, TimeSpan.FromMilliseconds(3));
        Assert.False(await Store.RecordWebhookAttemptAsync(first.Item1.Id, "intruder", attempt, true, null));
        Assert.True(await Store.RecordWebhookAttemptAsync(first.Item1.Id, first.Item2, attempt, true, null));
        Assert.Equal(14, await Store.WebhookBacklogAsync());
        Assert.Equal(new byte[32], first.Item1.Webhook.Secret);

        // A lapsed lease is claimable again; a delivered row never is.
        Time.Advance(TimeSpan.FromMinutes(2));
        var again = await Store.ClaimWebhookDeliveriesAsync("five", TimeSpan.FromMinutes(1), 100);
        Assert.Equal(14, again.Count);
        Assert.DoesNotContain(again, d => d.Id == first.Item1.Id);
    }
}

[Trait(Category.Name, Category.Contract)]
public sealed class TopupWebhookContract_Sqlite : TopupWebhookContract
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[Trait(Category.Name, Category.Contract)]
public sealed class TopupWebhookContract_Postgres : TopupWebhookContract
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
