using System.Text.Json;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Outbox;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Storage.Tests;

/// <summary>
/// The outbox contract, on SQLite and on PostgreSQL: each state change writes exactly one event in the
/// same transaction; a refused or rolled-back change writes none; readers page by id.
/// </summary>
public abstract class OutboxContract : StoreTestBase
{
    [Fact]
    public async Task A_new_card_writes_one_card_created_and_a_refused_duplicate_writes_none()
    {
        var card = await NewCardAsync();
        var created = Assert.Single(await EventsAsync());
        Assert.Equal(OutboxEventTypes.CardCreated, created.Type);
        Assert.Equal(card.Id, created.SubjectId);
        Assert.Equal(Start, created.OccurredAt);
        using (var payload = JsonDocument.Parse(created.Payload))
        {
            Assert.Equal(card.Id, payload.RootElement.GetProperty("card_id").GetString());
            Assert.Equal("deterministic", payload.RootElement.GetProperty("key_source").GetString());
        }

        Assert.Null(await Store.CreateCardAsync(new NewCard(card.Id, "dup", RandomHex(7), 1, CardKeySource.Deterministic, null, null, null)));
        Assert.Single(await EventsAsync());
    }

    [Fact]
    public async Task A_credit_writes_one_card_credited_with_the_amount_and_new_balance()
    {
        var card = await NewCardAsync(balanceSat: 1_000);
        await Store.CreditAsync(card.Id, new Msat(2_500), "more");
        var credits = (await EventsAsync()).Where(e => e.Type == OutboxEventTypes.CardCredited).ToList();
        Assert.Equal(2, credits.Count);
        Assert.Equal(2_500, Long(credits[1], "amount_msat"));
        Assert.Equal(1_002_500, Long(credits[1], "balance_msat"));

        Assert.Null(await Store.CreditAsync(RandomHex(16), new Msat(1), "nobody"));
        Assert.Equal(3, (await EventsAsync()).Count);
    }

    [Fact]
    public async Task Disabling_writes_card_disabled_once_and_enabling_writes_nothing()
    {
        var card = await NewCardAsync();
        Assert.False((await Store.SetEnabledAsync(card.Id, false))!.Enabled);
        Assert.False((await Store.SetEnabledAsync(card.Id, false))!.Enabled); // already disabled: no change, no event
        Assert.True((await Store.SetEnabledAsync(card.Id, true))!.Enabled);
        Assert.Null(await Store.SetEnabledAsync(RandomHex(16), false));

        var events = await EventsAsync();
        Assert.Equal([OutboxEventTypes.CardCreated, OutboxEventTypes.CardDisabled], events.Select(e => e.Type));
        Assert.Equal(card.Id, events[1].SubjectId);
    }

    [Fact]
    public async Task A_wipe_writes_card_wiped_with_the_key_version()
    {
        var card = await NewCardAsync();
        Assert.False((await Store.MarkResetAsync(card.Id))!.Enabled);
        Assert.Null(await Store.MarkResetAsync(RandomHex(16)));
        var wiped = Assert.Single(await EventsAsync(), e => e.Type == OutboxEventTypes.CardWiped);
        Assert.Equal(card.Id, wiped.SubjectId);
        Assert.Equal(1, Long(wiped, "key_version"));
        Assert.Equal(2, (await EventsAsync()).Count);
    }

    [Fact]
    public async Task A_settled_withdrawal_writes_one_succeeded_and_a_late_settle_or_fail_writes_none()
    {
        var card = await NewCardAsync(balanceSat: 10_000);
        var w = await ReserveAsync(card.Id, 1, 1_000, feeReserveSat: 10);
        var before = await CountAsync();
        Assert.IsType<TransitionResult.WrongState>(await Store.SettleAsync(w.Id, Preimage(), new Msat(3_000))); // not sent yet
        Assert.Equal(before, await CountAsync());

        Assert.IsType<TransitionResult.Applied>(await Store.MarkSendingAsync(w.Id));
        Assert.IsType<TransitionResult.Applied>(await Store.SettleAsync(w.Id, Preimage(), new Msat(3_000)));
        Assert.IsType<TransitionResult.WrongState>(await Store.SettleAsync(w.Id, Preimage(), new Msat(3_000)));
        Assert.IsType<TransitionResult.WrongState>(await Store.FailAsync(w.Id, FailureKind.NoRoute, "late"));

        var succeeded = Assert.Single(await EventsAsync(), e => e.Type == OutboxEventTypes.WithdrawalSucceeded);
        Assert.Equal(w.Id, succeeded.SubjectId);
        Assert.Equal(card.Id, Text(succeeded, "card_id"));
        Assert.Equal(1_000_000, Long(succeeded, "amount_msat"));
        Assert.Equal(3_000, Long(succeeded, "fee_msat"));
        Assert.Equal(w.PaymentHashHex, Text(succeeded, "payment_hash"));
        Assert.Equal(before + 1, await CountAsync());
    }

    [Fact]
    public async Task A_failed_withdrawal_writes_one_failed_with_its_kind_and_the_nodes_words()
    {
        var card = await NewCardAsync(balanceSat: 10_000);
        var w = await ReserveAsync(card.Id, 1, 1_000);
        await Store.MarkSendingAsync(w.Id);
        Assert.IsType<TransitionResult.Applied>(await Store.FailAsync(w.Id, FailureKind.NoRoute, "no route to 02ab"));
        Assert.IsType<TransitionResult.WrongState>(await Store.FailAsync(w.Id, FailureKind.NoRoute, "again"));

        var failed = Assert.Single(await EventsAsync(), e => e.Type == OutboxEventTypes.WithdrawalFailed);
        Assert.Equal(w.Id, failed.SubjectId);
        Assert.Equal("NO_ROUTE", Text(failed, "failure_kind"));
        Assert.Equal("no route to 02ab", Text(failed, "node_message"));
        Assert.Equal(1_000_000, Long(failed, "refunded_msat"));
    }

    [Fact]
    public async Task An_unknown_outcome_writes_one_pending_and_its_later_success_one_succeeded()
    {
        var card = await NewCardAsync(balanceSat: 10_000);
        var w = await ReserveAsync(card.Id, 1, 1_000);
        await Store.MarkSendingAsync(w.Id);
        Assert.IsType<TransitionResult.Applied>(await Store.MarkInFlightAsync(w.Id, "node timed out"));
        Assert.IsType<TransitionResult.WrongState>(await Store.MarkInFlightAsync(w.Id, "again"));
        Assert.IsType<TransitionResult.Applied>(await Store.SettleAsync(w.Id, Preimage(), Msat.Zero));

        var events = (await EventsAsync()).Where(e => e.SubjectId == w.Id).ToList();
        Assert.Equal([OutboxEventTypes.WithdrawalPending, OutboxEventTypes.WithdrawalSucceeded], events.Select(e => e.Type));
        Assert.Equal("node timed out", Text(events[0], "reason"));
    }

    [Fact]
    public async Task A_rejected_reservation_writes_nothing()
    {
        var card = await NewCardAsync(balanceSat: 1);
        var session = await OfferAsync(card.Id, 1);
        var before = await CountAsync();
        var result = await Store.ReserveAsync(Request(session.K1, 5_000));
        Assert.Equal(ReserveRejection.InsufficientFunds, Assert.IsType<ReserveResult.Rejected>(result).Reason);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task The_event_and_its_change_commit_together_or_not_at_all()
    {
        var card = await NewCardAsync(balanceSat: 1_000);
        // An outbox that cannot take the event: the credit must roll back with it.
        await ExecuteRawAsync("ALTER TABLE outbox_events RENAME TO outbox_events_gone");
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Store.CreditAsync(card.Id, new Msat(5), "lost"));
        await ExecuteRawAsync("ALTER TABLE outbox_events_gone RENAME TO outbox_events");

        Assert.Equal(Msat.FromSat(1_000), await BalanceAsync(card.Id));
        Assert.Equal(2, await CountAsync()); // card.created and the first credit only
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task Readers_page_through_events_in_order_after_a_cursor()
    {
        for (var i = 0; i < 5; i++)
            await NewCardAsync();
        var all = await Store.ListOutboxEventsAsync(0, 100);
        Assert.Equal(5, all.Count);
        Assert.Equal(all.OrderBy(e => e.Id).Select(e => e.Id), all.Select(e => e.Id));

        var first = await Store.ListOutboxEventsAsync(0, 2);
        var second = await Store.ListOutboxEventsAsync(first[^1].Id, 2);
        var third = await Store.ListOutboxEventsAsync(second[^1].Id, 2);
        Assert.Equal(all.Select(e => e.Id), first.Concat(second).Concat(third).Select(e => e.Id));
        Assert.Single(third);
        Assert.Empty(await Store.ListOutboxEventsAsync(all[^1].Id, 2));
    }

    private async Task<IReadOnlyList<OutboxEvent>> EventsAsync() => await Store.ListOutboxEventsAsync(0, 1_000);

    private async Task<int> CountAsync() => (await EventsAsync()).Count;

    private static long Long(OutboxEvent e, string name)
    {
        using var payload = JsonDocument.Parse(e.Payload);
        return payload.RootElement.GetProperty(name).GetInt64();
    }

    private static string? Text(OutboxEvent e, string name)
    {
        using var payload = JsonDocument.Parse(e.Payload);
        return payload.RootElement.GetProperty(name).GetString();
    }

    private static Bytes32 Preimage() => Bytes32.FromSpan(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private async Task ExecuteRawAsync(string sql)
    {
        await using var c = Database.Provider == StorageProvider.Sqlite
            ? (System.Data.Common.DbConnection)new Microsoft.Data.Sqlite.SqliteConnection(Database.ConnectionString)
            : new Npgsql.NpgsqlConnection(Database.ConnectionString);
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}

[Trait(Category.Name, Category.Contract)]
public sealed class OutboxContract_Sqlite : OutboxContract
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[Trait(Category.Name, Category.Contract)]
public sealed class OutboxContract_Postgres : OutboxContract
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
