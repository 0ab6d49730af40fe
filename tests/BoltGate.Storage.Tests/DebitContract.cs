using BoltGate.Core.Money;
using BoltGate.Storage.Ledger;

namespace BoltGate.Storage.Tests;

/// <summary>The operator's debit, on SQLite and on PostgreSQL (see the subclasses).</summary>
public abstract class DebitContract : StoreTestBase
{
    [Fact]
    public async Task A_debit_takes_the_amount_off_the_balance_with_a_debit_entry()
    {
        var card = await NewCardAsync(balanceSat: 1_000);
        var done = Assert.IsType<DebitResult.Done>(await Store.DebitAsync(card.Id, Msat.FromSat(400), "paid out in cash"));
        Assert.Equal(Msat.FromSat(600), done.Card.Balance);
        Assert.Equal(Msat.FromSat(600), await BalanceAsync(card.Id));
        var entry = (await Store.ListLedgerAsync(card.Id))[^1];
        Assert.Equal(LedgerKind.Debit, entry.Kind);
        Assert.Equal(-Msat.FromSat(400), entry.Amount);
        Assert.Equal("paid out in cash", entry.Note);
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task A_debit_may_empty_the_card_but_never_take_it_below_zero()
    {
        var card = await NewCardAsync(balanceSat: 1_000);
        var refused = Assert.IsType<DebitResult.InsufficientBalance>(await Store.DebitAsync(card.Id, new Msat(1_000_001), null));
        Assert.Equal(Msat.FromSat(1_000), refused.Balance);
        Assert.Equal(Msat.FromSat(1_000), await BalanceAsync(card.Id));
        Assert.Equal([LedgerKind.TopUp], (await Store.ListLedgerAsync(card.Id)).Select(e => e.Kind));

        Assert.IsType<DebitResult.Done>(await Store.DebitAsync(card.Id, Msat.FromSat(1_000), null));
        Assert.Equal(Msat.Zero, await BalanceAsync(card.Id));
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task Money_reserved_for_a_withdrawal_cannot_be_debited()
    {
        var card = await NewCardAsync(balanceSat: 1_000);
        await ReserveAsync(card.Id, counter: 1, amountSat: 700, feeReserveSat: 10);
        var refused = Assert.IsType<DebitResult.InsufficientBalance>(await Store.DebitAsync(card.Id, Msat.FromSat(300), null));
        Assert.Equal(Msat.FromSat(290), refused.Balance);
        Assert.IsType<DebitResult.Done>(await Store.DebitAsync(card.Id, Msat.FromSat(290), null));
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task Concurrent_debits_never_take_more_than_the_balance()
    {
        var card = await NewCardAsync(balanceSat: 1_000);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Store.DebitAsync(card.Id, Msat.FromSat(300), null)));
        Assert.Equal(3, results.Count(r => r is DebitResult.Done));
        Assert.Equal(5, results.Count(r => r is DebitResult.InsufficientBalance));
        Assert.Equal(Msat.FromSat(100), await BalanceAsync(card.Id));
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task An_unknown_card_is_reported_and_a_non_positive_amount_is_a_bug()
    {
        Assert.IsType<DebitResult.CardNotFound>(await Store.DebitAsync(RandomHex(16), new Msat(1), null));
        var card = await NewCardAsync(balanceSat: 1);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.DebitAsync(card.Id, Msat.Zero, null));
    }
}

[Trait(Category.Name, Category.Contract)]
public sealed class DebitContract_Sqlite : DebitContract
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[Trait(Category.Name, Category.Contract)]
public sealed class DebitContract_Postgres : DebitContract
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
