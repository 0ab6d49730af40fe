using System.Data.Common;
using BoltGate.Core.Money;
using BoltGate.Storage.Withdrawals;
using Dapper;

namespace BoltGate.Storage.Tests;

/// <summary>
/// Group commit, on both engines: many flows' intents share transactions, yet each is decided on its own
/// (a refusal or a failing statement undoes only itself), each caller hears its own answer, and only once
/// its change is committed; intents that end a reservation go first.
/// </summary>
public abstract class GroupCommitContractTests : StoreTestBase
{
    [Fact(Timeout = 60_000)]
    public async Task Many_intents_share_commits_and_each_gets_its_own_answer()
    {
        var card = await NewCardAsync(balanceSat: 1_000);
        const int n = 120;
        var results = await Task.WhenAll(Enumerable.Range(0, n).Select(i => Store.WriteAsync<int>(async (c, tx) =>
        {
            // i % 3 == 1 refuses after writing (its row must vanish); i % 3 == 2 fails with a constraint violation.
            await c.ExecuteAsync(new CommandDefinition("INSERT INTO daily_usage (card_id, day, used_msat) VALUES (@card, @day, @i)",
                new { card = card.Id, day = Day(i), i = (long)i }, tx));
            if (i % 3 == 2)
                await c.ExecuteAsync(new CommandDefinition("UPDATE cards SET balance_msat = -1 WHERE id = @card", new { card = card.Id }, tx));
            return (i, i % 3 == 0);
        }, CancellationToken.None).ContinueWith(t => (i, t), TaskScheduler.Default)));

        foreach (var (i, task) in results)
        {
            if (i % 3 == 2)
                Assert.True(task.IsFaulted, $"intent {i} had a failing statement and must hear the error");
            else
                Assert.Equal(i, await task);
        }
        var kept = (await ReadUsageDaysAsync(card.Id)).Order().ToList();
        Assert.Equal(Enumerable.Range(0, n).Where(i => i % 3 == 0).Select(Day).Order().ToList(), kept);
        Assert.Equal(Msat.FromSat(1_000), await BalanceAsync(card.Id)); // no failing update survived
        // Grouped: fewer transactions than committed intents (one writer on SQLite; several loops on PostgreSQL).
        Assert.True(Store.Writes.Commits < Store.Writes.CommittedIntents,
            $"{Store.Writes.Commits} commits for {Store.Writes.CommittedIntents} intents: nothing was grouped");
    }

    [Fact(Timeout = 60_000)]
    public async Task An_answer_comes_only_after_the_change_is_committed()
    {
        var card = await NewCardAsync(balanceSat: 1_000);
        var checks = Enumerable.Range(0, 60).Select(async i =>
        {
            await Store.WriteAsync<bool>(async (c, tx) =>
            {
                await c.ExecuteAsync(new CommandDefinition("INSERT INTO daily_usage (card_id, day, used_msat) VALUES (@card, @day, 1)",
                    new { card = card.Id, day = Day(i) }, tx));
                return (true, true);
            }, CancellationToken.None);
            // The moment the caller hears OK, any other connection sees the row.
            return (await ReadUsageDaysAsync(card.Id)).Contains(Day(i));
        });
        Assert.All(await Task.WhenAll(checks), Assert.True);
    }

    [Fact(Timeout = 60_000)]
    public async Task Concurrent_reservations_grouped_together_never_overdraw_and_refunds_all_land()
    {
        var cards = new List<string>();
        for (var i = 0; i < 8; i++)
            cards.Add((await NewCardAsync(balanceSat: 1_000)).Id);
        var sessions = new List<string>();
        foreach (var card in cards)
        {
            for (var counter = 1; counter <= 6; counter++)
                sessions.Add((await OfferAsync(card, counter)).K1);
        }
        var lease = new SendingLease("gateway-a", TimeSpan.FromMinutes(3));
        var reserved = (await Task.WhenAll(sessions.Select(k1 => Store.ReserveSendingAsync(Request(k1, 300), lease))))
            .OfType<ReserveResult.Reserved>().Select(r => r.Withdrawal).ToList();
        await Task.WhenAll(reserved.Select(w => Store.FailAsync(w.Id, Core.Payments.FailureKind.NoRoute, "no route")));

        foreach (var card in cards)
            Assert.Equal(Msat.FromSat(1_000), await BalanceAsync(card));
        Assert.NotEmpty(reserved);
        await AssertLedgerMatchesAsync();
    }

    private static string Day(int i) => $"2026-{1 + i / 28:00}-{1 + i % 28:00}";

    private async Task<List<string>> ReadUsageDaysAsync(string cardId)
    {
        await using var connection = await OpenRawAsync();
        return (await connection.QueryAsync<string>("SELECT day FROM daily_usage WHERE card_id = @cardId", new { cardId })).ToList();
    }

    private async Task<DbConnection> OpenRawAsync()
    {
        DbConnection connection = Provider == StorageProvider.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnection(Database.ConnectionString)
            : new Npgsql.NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}

[Trait("Category", "Contract")]
public sealed class SqliteGroupCommitTests : GroupCommitContractTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[Trait("Category", "Contract")]
public sealed class PostgresGroupCommitTests : GroupCommitContractTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
