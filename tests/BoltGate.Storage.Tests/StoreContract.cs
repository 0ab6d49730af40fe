using System.Security.Cryptography;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Sessions;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Storage.Tests;

/// <summary>The storage contract: every test here runs on SQLite and on PostgreSQL (see the subclasses).</summary>
public abstract partial class StoreContract : StoreTestBase
{
    [Fact]
    public async Task Fresh_database_is_migrated_and_reopening_applies_nothing_twice()
    {
        var latest = Migrations.Migrator.Scripts(Provider == StorageProvider.Sqlite ? "sqlite" : "postgres").Count;
        Assert.True(latest >= 2, "schema v2 (payment policy, retry time) must be among the migrations");
        Assert.Equal(latest, Store.SchemaVersion);
        await using var again = await OpenStoreAsync();
        Assert.Equal(latest, again.SchemaVersion);
        Assert.True(await again.PingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Card_is_created_once_per_id_and_per_uid()
    {
        var card = await NewCardAsync();
        Assert.Equal(0, card.Balance.Value);
        Assert.Equal(-1, card.Counter);
        Assert.True(card.Enabled);

        var sameId = await Store.CreateCardAsync(new NewCard(card.Id, "dup", RandomHex(7), 1, CardKeySource.Deterministic, null, null, null));
        var sameUid = await Store.CreateCardAsync(new NewCard(RandomHex(16), "dup", card.UidHex!.ToUpperInvariant(), 1,
            CardKeySource.Deterministic, null, null, null));
        Assert.Null(sameId);
        Assert.Null(sameUid);
        Assert.Equal(card.Id, (await Store.FindCardByUidAsync(card.UidHex!.ToUpperInvariant()))!.Id);
    }

    [Fact]
    public async Task Imported_keys_are_encrypted_at_rest_and_come_back_intact()
    {
        var keys = RandomNumberGenerator.GetBytes(80);
        var id = RandomHex(16);
        var created = await Store.CreateCardAsync(new NewCard(id, "imported", null, 3, CardKeySource.Imported, keys, null, null));
        Assert.NotNull(created);
        Assert.Equal(CardKeySource.Imported, created.KeySource);

        var listed = Assert.Single(await Store.ListImportedCardKeysAsync());
        Assert.Equal(id, listed.CardId);
        Assert.Equal(keys, listed.Keys);
        Assert.Equal(3, listed.KeyVersion);
        Assert.Null(listed.UidHex);

        var raw = await RawKeyBlobAsync(id);
        Assert.Equal(12 + 16 + 80, raw.Length);
        Assert.False(raw.AsSpan().IndexOf(keys.AsSpan(0, 16)) >= 0, "K0 must not be stored in the clear");

        Assert.True(await Store.BindUidAsync(id, "04A39493CC8680"));
        Assert.False(await Store.BindUidAsync(id, "04a39493cc8681"));
        Assert.Equal("04a39493cc8680", (await Store.GetCardAsync(id))!.UidHex);
    }

    [Fact]
    public async Task Imported_keys_do_not_decrypt_under_another_data_key()
    {
        var id = RandomHex(16);
        await Store.CreateCardAsync(new NewCard(id, "imported", null, 1, CardKeySource.Imported, RandomNumberGenerator.GetBytes(80), null, null));
        var other = new CardKeyCipher(RandomNumberGenerator.GetBytes(32));
        Assert.ThrowsAny<CryptographicException>(() => other.Decrypt(id, RawKeyBlobAsync(id).GetAwaiter().GetResult()));
    }

    [Fact]
    public async Task Credit_adds_to_the_balance_and_the_ledger()
    {
        var card = await NewCardAsync(balanceSat: 1500);
        card = (await Store.CreditAsync(card.Id, new Msat(250), "second"))!;
        Assert.Equal(1_500_250, card.Balance.Value);
        var ledger = await Store.ListLedgerAsync(card.Id);
        Assert.Equal([LedgerKind.TopUp, LedgerKind.TopUp], ledger.Select(e => e.Kind));
        Assert.Equal("second", ledger[1].Note);
        Assert.Null(await Store.CreditAsync(RandomHex(16), new Msat(1), null));
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task A_repeated_tap_gets_the_same_k1_until_it_expires_then_a_fresh_one()
    {
        var card = await NewCardAsync(1000);
        var first = await OfferAsync(card.Id, 7);
        Assert.Matches("^[0-9a-f]{32}$", first.K1);
        var retry = await OfferAsync(card.Id, 7);
        Assert.Equal(first.K1, retry.K1);

        Time.Advance(Ttl + TimeSpan.FromSeconds(1));
        var renewed = await OfferAsync(card.Id, 7);
        Assert.NotEqual(first.K1, renewed.K1);
        Assert.Null(await Store.GetSessionAsync(first.K1));
        Assert.IsType<ReserveResult.Rejected>(await Store.ReserveAsync(Request(first.K1, 1)));
        Assert.IsType<ReserveResult.Reserved>(await Store.ReserveAsync(Request(renewed.K1, 1)));
    }

    [Fact]
    public async Task Offer_refuses_counters_at_or_below_the_last_consumed_one_and_unknown_cards()
    {
        var card = await NewCardAsync(1000);
        await ReserveAsync(card.Id, 10, 1);
        Assert.IsType<OfferResult.Replay>(await Store.OfferAsync(card.Id, 10, Ttl));
        Assert.IsType<OfferResult.Replay>(await Store.OfferAsync(card.Id, 9, Ttl));
        Assert.IsType<OfferResult.Offered>(await Store.OfferAsync(card.Id, 11, Ttl));
        Assert.IsType<OfferResult.CardNotFound>(await Store.OfferAsync(RandomHex(16), 1, Ttl));
    }

    [Fact]
    public async Task Reserve_consumes_k1_and_counter_and_holds_amount_plus_fee_in_one_go()
    {
        var card = await NewCardAsync(balanceSat: 1000);
        var session = await OfferAsync(card.Id, 5);
        var request = Request(session.K1, 300, 4);
        var w = Assert.IsType<ReserveResult.Reserved>(await Store.ReserveAsync(request)).Withdrawal;

        Assert.Equal(WithdrawalState.Reserved, w.State);
        Assert.Equal(Msat.FromSat(300), w.Amount);
        Assert.Equal(Msat.FromSat(4), w.FeeReserve);
        Assert.Equal(request.PaymentHash.ToHex(), w.PaymentHashHex);
        Assert.Equal(Start, w.ReservedAt);
        Assert.Equal(Start.AddMinutes(1), w.Deadline);

        var after = (await Store.GetCardAsync(card.Id))!;
        Assert.Equal(Msat.FromSat(696), after.Balance);
        Assert.Equal(5, after.Counter);
        Assert.True((await Store.GetSessionAsync(session.K1))!.IsConsumed);
        Assert.Equal(Msat.FromSat(300), await Store.GetDailyUsageAsync(card.Id, Start));
        var reservation = (await Store.ListLedgerAsync(card.Id)).Last();
        Assert.Equal(LedgerKind.Reservation, reservation.Kind);
        Assert.Equal(-304_000, reservation.Amount.Value);
        Assert.Equal(w.Id, reservation.WithdrawalId);
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task K1_is_single_use()
    {
        var card = await NewCardAsync(1000);
        var session = await OfferAsync(card.Id, 1);
        Assert.IsType<ReserveResult.Reserved>(await Store.ReserveAsync(Request(session.K1, 10)));
        AssertRejected(ReserveRejection.K1Used, await Store.ReserveAsync(Request(session.K1, 10)));
        AssertRejected(ReserveRejection.K1Unknown, await Store.ReserveAsync(Request(RandomHex(16), 10)));
        Assert.Equal(Msat.FromSat(990), await BalanceAsync(card.Id));
    }

    [Fact]
    public async Task Expired_k1_reserves_nothing()
    {
        var card = await NewCardAsync(1000);
        var session = await OfferAsync(card.Id, 1);
        Time.Advance(Ttl);
        AssertRejected(ReserveRejection.K1Expired, await Store.ReserveAsync(Request(session.K1, 10)));
        Assert.Equal(Msat.FromSat(1000), await BalanceAsync(card.Id));
    }

    [Fact]
    public async Task An_older_tap_cannot_be_used_after_a_newer_one()
    {
        var card = await NewCardAsync(1000);
        var older = await OfferAsync(card.Id, 3);
        var newer = await OfferAsync(card.Id, 4);
        Assert.IsType<ReserveResult.Reserved>(await Store.ReserveAsync(Request(newer.K1, 10)));
        AssertRejected(ReserveRejection.Replay, await Store.ReserveAsync(Request(older.K1, 10)));
        Assert.False((await Store.GetSessionAsync(older.K1))!.IsConsumed);
    }

    [Fact]
    public async Task Rejections_roll_back_everything_so_the_k1_stays_usable()
    {
        var card = await NewCardAsync(balanceSat: 100, perTapSat: 50, dailySat: 80);
        var session = await OfferAsync(card.Id, 1);

        AssertRejected(ReserveRejection.LimitPerTap, await Store.ReserveAsync(Request(session.K1, 51)));
        AssertRejected(ReserveRejection.InsufficientFunds, await Store.ReserveAsync(Request(session.K1, 50, feeReserveSat: 51)));
        var unchanged = (await Store.GetCardAsync(card.Id))!;
        Assert.Equal(Msat.FromSat(100), unchanged.Balance);
        Assert.Equal(-1, unchanged.Counter);
        Assert.False((await Store.GetSessionAsync(session.K1))!.IsConsumed);
        Assert.Equal(Msat.Zero, await Store.GetDailyUsageAsync(card.Id, Start));

        Assert.IsType<ReserveResult.Reserved>(await Store.ReserveAsync(Request(session.K1, 50)));
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task Daily_limit_counts_amounts_per_utc_day()
    {
        var card = await NewCardAsync(balanceSat: 1000, dailySat: 100);
        await ReserveAsync(card.Id, 1, 60);
        var session = await OfferAsync(card.Id, 2);
        AssertRejected(ReserveRejection.LimitDaily, await Store.ReserveAsync(Request(session.K1, 41)));
        Assert.IsType<ReserveResult.Reserved>(await Store.ReserveAsync(Request(session.K1, 40)));

        Time.Advance(TimeSpan.FromHours(12)); // next UTC day
        await ReserveAsync(card.Id, 3, 100);
        Assert.Equal(Msat.FromSat(100), await Store.GetDailyUsageAsync(card.Id, Time.GetUtcNow()));
    }

    [Fact]
    public async Task Disabled_or_locked_cards_reserve_nothing()
    {
        var card = await NewCardAsync(1000);
        var session = await OfferAsync(card.Id, 1);
        await Store.SetEnabledAsync(card.Id, false);
        AssertRejected(ReserveRejection.CardDisabled, await Store.ReserveAsync(Request(session.K1, 10)));
        await Store.SetEnabledAsync(card.Id, true);

        await Store.SetPinAsync(card.Id, "hash", Msat.Zero);
        for (var i = 0; i < 3; i++)
        {
            await Store.TryCountPinAttemptAsync(card.Id, 3);
            await Store.RecordWrongPinAsync(card.Id, 3);
        }
        AssertRejected(ReserveRejection.CardLocked, await Store.ReserveAsync(Request(session.K1, 10)));
        Assert.Equal(Msat.FromSat(1000), await BalanceAsync(card.Id));
    }

    [Fact]
    public async Task Sixteen_concurrent_pin_attempts_get_exactly_the_limit_counted()
    {
        var card = await NewCardAsync(1000);
        await Store.SetPinAsync(card.Id, "pbkdf2$x", Msat.Zero);
        var counted = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Store.TryCountPinAttemptAsync(card.Id, 3))));
        Assert.Equal([1, 2, 3], counted.Where(a => a is not null).Select(a => a!.Failures).Order());
        Assert.Equal(3, (await Store.GetCardAsync(card.Id))!.PinFailures);
    }

    [Fact]
    public async Task Wrong_pins_lock_the_card_on_the_third_and_a_new_pin_unlocks_it()
    {
        var card = await NewCardAsync(1000);
        card = (await Store.SetPinAsync(card.Id, "pbkdf2$x", Msat.FromSat(20)))!;
        Assert.True(card.HasPin);
        Assert.Equal(Msat.FromSat(20), card.PinLimit);

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(new PinAttempt(i, false), await Store.TryCountPinAttemptAsync(card.Id, 3));
            Assert.Equal(new PinAttempt(i, i == 3), await Store.RecordWrongPinAsync(card.Id, 3));
        }
        Assert.True((await Store.GetCardAsync(card.Id))!.Locked);
        Assert.Null(await Store.TryCountPinAttemptAsync(card.Id, 3)); // locked: not even counted
        Assert.Equal(3, (await Store.GetCardAsync(card.Id))!.PinFailures);

        card = (await Store.SetPinAsync(card.Id, "pbkdf2$y", Msat.FromSat(20)))!;
        Assert.False(card.Locked);
        Assert.Equal(0, card.PinFailures);
        await Store.TryCountPinAttemptAsync(card.Id, 3);
        await Store.ResetPinFailuresAsync(card.Id);
        Assert.Equal(0, (await Store.GetCardAsync(card.Id))!.PinFailures);
        Assert.Null(await Store.TryCountPinAttemptAsync(RandomHex(16), 3));
        Assert.Null(await Store.RecordWrongPinAsync(RandomHex(16), 3));
    }

    [Fact]
    public async Task A_payment_hash_is_paid_at_most_once()
    {
        var card = await NewCardAsync(1000);
        var hash = Bytes32.FromSpan(RandomNumberGenerator.GetBytes(32));
        var a = await OfferAsync(card.Id, 1);
        var b = await OfferAsync(card.Id, 2);
        Assert.IsType<ReserveResult.Reserved>(await Store.ReserveAsync(Request(a.K1, 10, hash: hash)));
        AssertRejected(ReserveRejection.InvoiceAlreadyUsed, await Store.ReserveAsync(Request(b.K1, 10, hash: hash)));
        Assert.Equal(Msat.FromSat(990), await BalanceAsync(card.Id));
        Assert.Equal(1, (await Store.GetCardAsync(card.Id))!.Counter);
        Assert.NotNull(await Store.FindWithdrawalByPaymentHashAsync(hash));
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task Settle_records_the_fee_and_releases_the_unused_reserve()
    {
        var card = await NewCardAsync(1000);
        var w = await ReserveAsync(card.Id, 1, 200, feeReserveSat: 10);
        AssertWrongState(WithdrawalState.Reserved, await Store.SettleAsync(w.Id, Preimage(), new Msat(3000)));

        Time.Advance(TimeSpan.FromSeconds(1));
        var sending = Assert.IsType<TransitionResult.Applied>(await Store.MarkSendingAsync(w.Id)).Withdrawal;
        Assert.Equal(WithdrawalState.Sending, sending.State);
        Assert.Equal(1, sending.Attempts);
        Assert.Equal(Start.AddSeconds(1), sending.SendingAt);

        Time.Advance(TimeSpan.FromSeconds(1));
        var preimage = Preimage();
        var done = Assert.IsType<TransitionResult.Applied>(await Store.SettleAsync(w.Id, preimage, new Msat(3000))).Withdrawal;
        Assert.Equal(WithdrawalState.Succeeded, done.State);
        Assert.Equal(new Msat(3000), done.Fee);
        Assert.Equal(preimage.ToHex(), done.PreimageHex);
        Assert.Equal(Start.AddSeconds(2), done.FinishedAt);

        Assert.Equal(new Msat(1_000_000 - 200_000 - 3000), await BalanceAsync(card.Id));
        Assert.Equal(Msat.FromSat(200), await Store.GetDailyUsageAsync(card.Id, Start));
        var release = (await Store.ListLedgerAsync(card.Id)).Last();
        Assert.Equal(LedgerKind.FeeRelease, release.Kind);
        Assert.Equal(7000, release.Amount.Value);

        AssertWrongState(WithdrawalState.Succeeded, await Store.SettleAsync(w.Id, preimage, new Msat(3000)));
        AssertWrongState(WithdrawalState.Succeeded, await Store.FailAsync(w.Id, FailureKind.NoRoute, "late"));
        Assert.Equal(new Msat(797_000), await BalanceAsync(card.Id));
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task A_fee_above_the_reserve_is_not_charged_to_the_card()
    {
        var card = await NewCardAsync(1000);
        var w = await ReserveAsync(card.Id, 1, 100, feeReserveSat: 1);
        await Store.MarkSendingAsync(w.Id);
        var done = Assert.IsType<TransitionResult.Applied>(await Store.SettleAsync(w.Id, Preimage(), new Msat(5000))).Withdrawal;
        Assert.Equal(new Msat(5000), done.Fee);
        Assert.Equal(Msat.FromSat(899), await BalanceAsync(card.Id));
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task Fail_refunds_everything_and_gives_the_daily_limit_back()
    {
        var card = await NewCardAsync(balanceSat: 1000, dailySat: 500);
        var w = await ReserveAsync(card.Id, 1, 400, feeReserveSat: 5);
        await Store.MarkSendingAsync(w.Id);
        var inFlight = Assert.IsType<TransitionResult.Applied>(await Store.MarkInFlightAsync(w.Id, "deadline reached")).Withdrawal;
        Assert.Equal(WithdrawalState.InFlight, inFlight.State);
        Assert.Equal("deadline reached", inFlight.NodeMessage);
        Assert.Equal(Msat.FromSat(595), await BalanceAsync(card.Id));

        var failed = Assert.IsType<TransitionResult.Applied>(await Store.FailAsync(w.Id, FailureKind.NoRoute, "no route found")).Withdrawal;
        Assert.Equal(WithdrawalState.Failed, failed.State);
        Assert.Equal("NO_ROUTE", failed.FailureCode);
        Assert.Equal("no route found", failed.NodeMessage);
        Assert.Equal(Msat.FromSat(1000), await BalanceAsync(card.Id));
        Assert.Equal(Msat.Zero, await Store.GetDailyUsageAsync(card.Id, Start));
        Assert.Equal(LedgerKind.Refund, (await Store.ListLedgerAsync(card.Id)).Last().Kind);

        AssertWrongState(WithdrawalState.Failed, await Store.FailAsync(w.Id, FailureKind.NoRoute, "again"));
        AssertWrongState(WithdrawalState.Failed, await Store.SettleAsync(w.Id, Preimage(), Msat.Zero));
        Assert.Equal(Msat.FromSat(1000), await BalanceAsync(card.Id));
        Assert.IsType<TransitionResult.NotFound>(await Store.FailAsync(RandomHex(16), FailureKind.NoRoute, "x"));
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task Requeue_sends_a_failed_attempt_back_for_another_try()
    {
        var card = await NewCardAsync(1000);
        var w = await ReserveAsync(card.Id, 1, 10);
        await Store.MarkSendingAsync(w.Id);
        var back = Assert.IsType<TransitionResult.Applied>(await Store.RequeueAsync(w.Id, FailureKind.NoRoute, "try later")).Withdrawal;
        Assert.Equal(WithdrawalState.Reserved, back.State);
        Assert.Equal("NO_ROUTE", back.FailureCode);
        var again = Assert.IsType<TransitionResult.Applied>(await Store.MarkSendingAsync(w.Id)).Withdrawal;
        Assert.Equal(2, again.Attempts);
        Assert.Equal(Msat.FromSat(990), await BalanceAsync(card.Id));
    }

    [Fact]
    public async Task Lists_show_withdrawals_newest_first_and_the_unfinished_ones()
    {
        var card = await NewCardAsync(1000);
        var first = await ReserveAsync(card.Id, 1, 10);
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = await ReserveAsync(card.Id, 2, 20);
        await Store.MarkSendingAsync(first.Id);
        await Store.SettleAsync(first.Id, Preimage(), Msat.Zero);

        Assert.Equal([second.Id, first.Id], (await Store.ListWithdrawalsAsync(card.Id)).Select(w => w.Id));
        Assert.Equal([second.Id], (await Store.ListUnfinishedAsync()).Select(w => w.Id));
        Assert.Equal(second.Id, (await Store.GetWithdrawalAsync(second.Id))!.Id);
        Assert.Null(await Store.GetWithdrawalAsync(RandomHex(16)));
    }

    [Fact]
    public async Task Leases_give_each_unfinished_withdrawal_to_one_claimer_at_a_time()
    {
        var card = await NewCardAsync(1000);
        var ids = new List<string>();
        for (var i = 1; i <= 6; i++)
            ids.Add((await ReserveAsync(card.Id, i, 10)).Id);

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Store.ClaimUnfinishedAsync($"worker-{i}", TimeSpan.FromSeconds(30), 3)));
        var claimed = claims.SelectMany(c => c.Select(w => w.Id)).ToList();
        Assert.Equal(claimed.Count, claimed.Distinct().Count());
        Assert.Equal(ids.Order(), claimed.Order());
        Assert.Empty(await Store.ClaimUnfinishedAsync("late", TimeSpan.FromSeconds(30), 10));

        var anyClaim = claims.First(c => c.Count > 0)[0];
        Assert.False(await Store.ReleaseLeaseAsync(anyClaim.Id, "not-the-owner"));
        Assert.True(await Store.ReleaseLeaseAsync(anyClaim.Id, anyClaim.LeaseOwner!));
        Assert.Equal([anyClaim.Id], (await Store.ClaimUnfinishedAsync("late", TimeSpan.FromSeconds(30), 10)).Select(w => w.Id));

        Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(6, (await Store.ClaimUnfinishedAsync("after-expiry", TimeSpan.FromSeconds(30), 10)).Count);
    }

    [Theory]
    [InlineData(1020, 100, 2)] // room for ten: the taps' counters decide how many of those get through
    [InlineData(1000, 600, 0)] // room for one: every success but the first must fail on the balance
    public async Task Sixty_four_concurrent_reservations_never_overdraw_a_card(long balanceSat, long amountSat, long feeSat)
    {
        var card = await NewCardAsync(balanceSat);
        var sessions = new List<K1Session>();
        for (var i = 1; i <= 64; i++)
            sessions.Add(await OfferAsync(card.Id, i));

        var results = await RaceAsync(sessions.Select(s => (Func<Task<ReserveResult>>)(() => Store.ReserveAsync(Request(s.K1, amountSat, feeSat)))));

        var reserved = results.OfType<ReserveResult.Reserved>().Select(r => r.Withdrawal).ToList();
        Assert.NotEmpty(reserved);
        Assert.True(reserved.Count <= balanceSat / (amountSat + feeSat), $"{reserved.Count} reservations fit in {balanceSat} sat");
        Assert.All(results.OfType<ReserveResult.Rejected>(), r =>
            Assert.Contains(r.Reason, new[] { ReserveRejection.InsufficientFunds, ReserveRejection.Replay }));
        var balance = await BalanceAsync(card.Id);
        Assert.False(balance.IsNegative);
        Assert.Equal(Msat.FromSat(balanceSat - reserved.Count * (amountSat + feeSat)), balance);
        Assert.Equal(Msat.FromSat(reserved.Count * amountSat), await Store.GetDailyUsageAsync(card.Id, Start));
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task Sixty_four_concurrent_callbacks_with_one_k1_reserve_once()
    {
        var card = await NewCardAsync(10_000);
        var session = await OfferAsync(card.Id, 1);
        var results = await RaceAsync(Enumerable.Range(0, 64).Select(_ =>
            (Func<Task<ReserveResult>>)(() => Store.ReserveAsync(Request(session.K1, 10)))));
        Assert.Single(results.OfType<ReserveResult.Reserved>());
        Assert.All(results.OfType<ReserveResult.Rejected>(), r => Assert.Equal(ReserveRejection.K1Used, r.Reason));
        Assert.Equal(Msat.FromSat(9_990), await BalanceAsync(card.Id));
        await AssertLedgerMatchesAsync();
    }

    [Fact]
    public async Task Concurrent_settle_and_fail_of_one_withdrawal_apply_exactly_once()
    {
        var card = await NewCardAsync(1000);
        var w = await ReserveAsync(card.Id, 1, 100, feeReserveSat: 5);
        await Store.MarkSendingAsync(w.Id);

        var results = await RaceAsync(Enumerable.Range(0, 16).Select(i => (Func<Task<TransitionResult>>)(() => i % 2 == 0
            ? Store.SettleAsync(w.Id, Preimage(), new Msat(1000))
            : Store.FailAsync(w.Id, FailureKind.NoRoute, "race"))));

        var applied = Assert.Single(results.OfType<TransitionResult.Applied>());
        var balance = await BalanceAsync(card.Id);
        if (applied.Withdrawal.State == WithdrawalState.Succeeded)
            Assert.Equal(new Msat(1_000_000 - 100_000 - 1000), balance);
        else
            Assert.Equal(Msat.FromSat(1000), balance);
        await AssertLedgerMatchesAsync();
    }

    /// <summary>Starts every call on its own thread-pool thread at once.</summary>
    private static async Task<T[]> RaceAsync<T>(IEnumerable<Func<Task<T>>> calls)
    {
        using var gate = new ManualResetEventSlim(false);
        var tasks = calls.Select(call => Task.Run(async () =>
        {
            gate.Wait();
            return await call();
        })).ToList();
        gate.Set();
        return await Task.WhenAll(tasks);
    }

    private static Bytes32 Preimage() => Bytes32.FromSpan(RandomNumberGenerator.GetBytes(32));

    private static void AssertRejected(ReserveRejection expected, ReserveResult result) =>
        Assert.Equal(expected, Assert.IsType<ReserveResult.Rejected>(result).Reason);

    private static void AssertWrongState(WithdrawalState expected, TransitionResult result) =>
        Assert.Equal(expected, Assert.IsType<TransitionResult.WrongState>(result).Current);

    private async Task<byte[]> RawKeyBlobAsync(string cardId)
    {
        await using var c = Database.Provider == StorageProvider.Sqlite
            ? (System.Data.Common.DbConnection)new Microsoft.Data.Sqlite.SqliteConnection(Database.ConnectionString)
            : new Npgsql.NpgsqlConnection(Database.ConnectionString);
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT keys_encrypted FROM cards WHERE id = '{cardId}'";
        return (byte[])(await cmd.ExecuteScalarAsync())!;
    }
}

// The store contract (this file and StoreContract.*.cs) on every database: StoreContract_<database>.

[Trait(Category.Name, Category.Contract)]
public sealed class StoreContract_Sqlite : StoreContract
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[Trait(Category.Name, Category.Contract)]
public sealed class StoreContract_Postgres : StoreContract
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
