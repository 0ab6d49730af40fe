using BoltGate.Core.Money;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Listing;

namespace BoltGate.Storage.Tests;

/// <summary>
/// The store behind the operator's API, on SQLite and on PostgreSQL: API keys by hash, idempotent money,
/// keyset pages that neither repeat nor skip rows, and stats derived from the rows.
/// </summary>
public abstract class OperatorStoreContract : StoreTestBase
{
    [Fact]
    public async Task An_api_key_is_found_by_its_hash_until_revoked_and_its_last_use_is_written_at_most_once_a_minute()
    {
        var key = await Store.CreateApiKeyAsync("k1", "pos", new string('a', 64), ["cards:read", "funds:write"]);
        var found = await Store.FindApiKeyByHashAsync(new string('a', 64));
        Assert.Equal(("k1", "pos"), (found!.Id, found.Name));
        Assert.Equal(["cards:read", "funds:write"], found.Scopes);
        Assert.Null(await Store.FindApiKeyByHashAsync(new string('b', 64)));

        Assert.True(await Store.TouchApiKeyAsync(key.Id, TimeSpan.FromMinutes(1)));
        Time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(await Store.TouchApiKeyAsync(key.Id, TimeSpan.FromMinutes(1)));
        Time.Advance(TimeSpan.FromSeconds(31));
        Assert.True(await Store.TouchApiKeyAsync(key.Id, TimeSpan.FromMinutes(1)));
        Assert.Equal(Time.GetUtcNow(), Assert.Single(await Store.ListApiKeysAsync()).LastUsedAt);

        var revoked = await Store.RevokeApiKeyAsync(key.Id);
        Assert.Equal(Time.GetUtcNow(), revoked!.RevokedAt);
        Assert.Null(await Store.FindApiKeyByHashAsync(new string('a', 64)));
        Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(revoked.RevokedAt, (await Store.RevokeApiKeyAsync(key.Id))!.RevokedAt);
        Assert.Null(await Store.RevokeApiKeyAsync("unknown"));
    }

    [Fact]
    public async Task A_key_credits_once_concurrently_and_a_reused_key_moves_nothing()
    {
        var card = await NewCardAsync();
        var claim = new IdempotencyClaim("k", "credit 5", (c, used) => $"balance {c.Balance.Value}");
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Store.CreditOnceAsync(card.Id, new Msat(5_000), null, claim)));
        Assert.Single(outcomes.OfType<Once<CreditResult>.Ran>());
        Assert.All(outcomes.OfType<Once<CreditResult>.Replayed>(), r => Assert.Equal("balance 5000", r.Answer));
        Assert.Equal(new Msat(5_000), await BalanceAsync(card.Id));

        var other = claim with { Fingerprint = "credit 6" };
        Assert.IsType<Once<CreditResult>.KeyReused>(await Store.CreditOnceAsync(card.Id, new Msat(6_000), null, other));
        Assert.IsType<Once<DebitResult>.KeyReused>(await Store.DebitOnceAsync(card.Id, new Msat(1_000), null, other));
        Assert.Equal(new Msat(5_000), await BalanceAsync(card.Id));

        var low = await Store.DebitOnceAsync(card.Id, new Msat(9_000), null, new IdempotencyClaim("d", "debit 9", (c, _) => "x"));
        Assert.IsType<DebitResult.InsufficientBalance>(Assert.IsType<Once<DebitResult>.Ran>(low).Result);
        var unknown = await Store.CreditOnceAsync("nope", new Msat(1_000), null, new IdempotencyClaim("u", "u", (c, _) => "x"));
        Assert.IsType<CreditResult.CardNotFound>(Assert.IsType<Once<CreditResult>.Ran>(unknown).Result);
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task Card_pages_follow_each_other_without_repeats_or_gaps_when_cards_arrive_meanwhile()
    {
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await NewCardAsync()).Id);
            Time.Advance(TimeSpan.FromMilliseconds(i % 2)); // ties on created_at are broken by id
        }
        var seen = new List<string>();
        PageCursor? after = null;
        do
        {
            var page = await Store.ListCardsAsync(new CardQuery(null, null, CardSort.Created, 3, after));
            seen.AddRange(page.Items.Select(c => c.Card.Id));
            after = page.Next;
            if (seen.Count == 3)
                await NewCardAsync(); // newer than every page: not in this walk
        }
        while (after is not null);
        Assert.Equal(7, seen.Count);
        Assert.Equal(ids.Order(), seen.Order());
    }

    [Fact]
    public async Task Cards_are_found_by_name_in_any_case_by_id_or_uid_filtered_by_status_and_paged_newest_first()
    {
        var cards = new List<Cards.Card>();
        for (var i = 0; i < 5; i++)
        {
            var card = await Store.CreateCardAsync(new Cards.NewCard(RandomHex(16), i % 2 == 0 ? $"Bar tab {i}" : $"Staff {i}", RandomHex(7), 1,
                Cards.CardKeySource.Deterministic, null, null, null));
            cards.Add(card!);
            Time.Advance(TimeSpan.FromSeconds(1));
        }
        await Store.SetEnabledAsync(cards[4].Id, false);
        Task<Page<CardSummary>> Find(string? search, CardStatus? status, int limit, PageCursor? after = null) =>
            Store.ListCardsAsync(new CardQuery(search, status, CardSort.Created, limit, after));

        var bar = await Find("BAR", null, 2);
        Assert.Equal([cards[4].Id, cards[2].Id], bar.Items.Select(c => c.Card.Id));
        var next = await Find("bar", null, 2, bar.Next);
        Assert.Equal([cards[0].Id], next.Items.Select(c => c.Card.Id));
        Assert.Null(next.Next);
        Assert.Equal([cards[2].Id, cards[0].Id], (await Find("bar", CardStatus.Active, 10)).Items.Select(c => c.Card.Id));
        Assert.Equal([cards[4].Id], (await Find(null, CardStatus.Disabled, 10)).Items.Select(c => c.Card.Id));
        Assert.Equal(cards[3].Id, Assert.Single((await Find(cards[3].Id[..12], null, 10)).Items).Card.Id);
        Assert.Equal(cards[1].Id, Assert.Single((await Find(cards[1].UidHex![2..10].ToUpperInvariant(), null, 10)).Items).Card.Id);
        Assert.Empty((await Find("100%", null, 10)).Items);
    }

    [Fact]
    public async Task Stats_count_taps_withdrawals_refund_times_and_liabilities_per_bucket()
    {
        var card = await NewCardAsync(balanceSat: 100);
        var w = await ReserveAsync(card.Id, 1, amountSat: 10, feeReserveSat: 1);
        Time.Advance(TimeSpan.FromHours(1));
        await OfferAsync(card.Id, 2);
        var buckets = await Store.GetStatsAsync(Start, Start.AddHours(2), TimeSpan.FromHours(1));
        Assert.Equal(2, buckets.Count);
        Assert.Equal((1L, 1L), (buckets[0].TapsOffered, buckets[0].TapsUsed));
        Assert.Equal((1L, 0L), (buckets[1].TapsOffered, buckets[1].TapsUsed));
        Assert.Equal(1, buckets[0].WithdrawalsByState["Reserved"]);
        Assert.Equal(new Msat(89_000), buckets[0].BalancesAtEnd);
        Assert.Equal(new Msat(11_000), buckets[0].ReservedAtEnd);

        var failing = await ReserveAsync(card.Id, 3, amountSat: 20);
        Time.Advance(TimeSpan.FromSeconds(4));
        Assert.IsType<Withdrawals.TransitionResult.Applied>(await Store.FailAsync(failing.Id, Core.Payments.FailureKind.NoRoute, "no route"));
        var later = Assert.Single(await Store.GetStatsAsync(Start.AddHours(1), Start.AddHours(2), TimeSpan.FromHours(1)));
        Assert.Equal(1, later.FailuresByKind.Single().Value);
        Assert.Equal(new Msat(20_000), later.AmountRefunded);
        Assert.Equal(TimeSpan.FromSeconds(4), Assert.Single(later.RefundTimes));
        Assert.Equal(new Msat(11_000), later.ReservedAtEnd); // the first withdrawal still holds its money
        Assert.Equal(new Msat(89_000), later.BalancesAtEnd);
        Assert.Equal(w.CardId, card.Id);
    }
}

[Trait(Category.Name, Category.Contract)]
public sealed class OperatorStoreContract_Sqlite : OperatorStoreContract
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[Trait(Category.Name, Category.Contract)]
public sealed class OperatorStoreContract_Postgres : OperatorStoreContract
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
