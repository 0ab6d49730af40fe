using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Storage.Tests;

/// <summary>
/// The console's storage, on SQLite and on PostgreSQL: operator accounts and their lockout, the paged
/// card and withdrawal lists, the liabilities, the hourly activity, and the balance check's counter step.
/// </summary>
public abstract class ConsoleStoreContract : StoreTestBase
{
    [Fact]
    public async Task An_account_is_created_once_and_read_back_by_name()
    {
        Assert.True(await Store.CreateConsoleUserAsync("ada", "hash-1", "admin"));
        Assert.False(await Store.CreateConsoleUserAsync("ada", "hash-2", "viewer"));
        var ada = await Store.GetConsoleUserAsync("ada");
        Assert.NotNull(ada);
        Assert.Equal(("hash-1", "admin", 0, (DateTimeOffset?)null), (ada.PasswordHash, ada.Role, ada.FailedSignIns, ada.LockedUntil));
        Assert.Equal(Start, ada.CreatedAt);
        Assert.Null(await Store.GetConsoleUserAsync("nobody"));
        Assert.Equal(1, await Store.CountConsoleUsersAsync());
        Assert.True(await Store.CreateConsoleUserAsync("bob", "h", "viewer"));
        Assert.Equal(["ada", "bob"], (await Store.ListConsoleUsersAsync()).Select(u => u.Name));
        Assert.True(await Store.DeleteConsoleUserAsync("bob"));
        Assert.False(await Store.DeleteConsoleUserAsync("bob"));
    }

    [Fact]
    public async Task An_unknown_role_is_refused_by_the_database()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => Store.CreateConsoleUserAsync("eve", "h", "root"));
    }

    [Fact]
    public async Task The_fifth_wrong_password_in_a_row_locks_the_account_and_a_good_one_resets_the_count()
    {
        await Store.CreateConsoleUserAsync("ada", "h", "operator");
        for (var i = 1; i <= 4; i++)
        {
            var after = await Store.RecordSignInFailureAsync("ada", 5, TimeSpan.FromMinutes(15));
            Assert.Equal((i, (DateTimeOffset?)null), (after!.FailedSignIns, after.LockedUntil));
        }
        var locked = await Store.RecordSignInFailureAsync("ada", 5, TimeSpan.FromMinutes(15));
        Assert.Equal(Start.AddMinutes(15), locked!.LockedUntil);
        Assert.Null(await Store.RecordSignInFailureAsync("nobody", 5, TimeSpan.FromMinutes(15)));

        await Store.ResetSignInFailuresAsync("ada");
        var reset = await Store.GetConsoleUserAsync("ada");
        Assert.Equal((0, (DateTimeOffset?)null), (reset!.FailedSignIns, reset.LockedUntil));
        Assert.True(await Store.SetConsoleUserPasswordAsync("ada", "h2"));
        Assert.Equal("h2", (await Store.GetConsoleUserAsync("ada"))!.PasswordHash);
    }

    [Fact]
    public async Task Withdrawals_list_by_state_and_card_and_the_liabilities_add_balances_and_what_is_held()
    {
        var a = await NewCardAsync(balanceSat: 10_000);
        var b = await NewCardAsync(balanceSat: 5_000);
        var held = await ReserveAsync(a.Id, 1, 1_000, feeReserveSat: 10);
        Time.Advance(TimeSpan.FromSeconds(1));
        var failed = await ReserveAsync(b.Id, 1, 2_000);
        await Store.FailAsync(failed.Id, FailureKind.NoRoute, "no route");

        var all = await Store.ListAllWithdrawalsPageAsync([], null, 0, 10);
        Assert.Equal([failed.Id, held.Id], all.Items.Select(w => w.Id));
        var open = await Store.ListAllWithdrawalsPageAsync([WithdrawalState.Reserved, WithdrawalState.Sending, WithdrawalState.InFlight], null, 0, 10);
        Assert.Equal([held.Id], open.Items.Select(w => w.Id));
        Assert.Equal([failed.Id], (await Store.ListAllWithdrawalsPageAsync([], b.Id, 0, 10)).Items.Select(w => w.Id));

        var owed = await Store.GetLiabilitiesAsync();
        Assert.Equal(2, owed.Cards);
        Assert.Equal(Msat.FromSat(10_000 - 1_010 + 5_000), owed.Balances);
        Assert.Equal(Msat.FromSat(1_010), owed.Reserved);
        Assert.Equal(1, owed.InFlight);
    }

    [Fact]
    public async Task Activity_counts_taps_and_outcomes_per_hour()
    {
        var card = await NewCardAsync(balanceSat: 10_000);
        var w = await ReserveAsync(card.Id, 1, 1_000);
        await Store.FailAsync(w.Id, FailureKind.NoRoute, "no route");
        Time.Advance(TimeSpan.FromHours(1));
        await OfferAsync(card.Id, 2);

        var hours = await Store.GetActivityAsync(Start.AddHours(-1));
        Assert.Equal(
            [new ActivityHourView(Start, 1, 0, 1), new ActivityHourView(Start.AddHours(1), 1, 0, 0)],
            hours.Select(h => new ActivityHourView(h.Hour, h.Taps, h.Succeeded, h.Failed)));
    }

    [Fact]
    public async Task A_balance_check_moves_the_counter_so_the_same_tap_cannot_pay_afterwards()
    {
        var card = await NewCardAsync(balanceSat: 10_000);
        var session = await OfferAsync(card.Id, 7);
        Assert.True(await Store.ConsumeCounterAsync(card.Id, 7));
        Assert.False(await Store.ConsumeCounterAsync(card.Id, 7));
        Assert.False(await Store.ConsumeCounterAsync(card.Id, 3));
        Assert.Equal(7, (await Store.GetCardAsync(card.Id))!.Counter);
        var reserve = await Store.ReserveAsync(Request(session.K1, 1_000));
        Assert.Equal(ReserveRejection.Replay, Assert.IsType<ReserveResult.Rejected>(reserve).Reason);
    }

    private sealed record ActivityHourView(DateTimeOffset Hour, long Taps, long Succeeded, long Failed);
}

[Trait(Category.Name, Category.Contract)]
public sealed class ConsoleStoreContract_Sqlite : ConsoleStoreContract
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[Trait(Category.Name, Category.Contract)]
public sealed class ConsoleStoreContract_Postgres : ConsoleStoreContract
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
