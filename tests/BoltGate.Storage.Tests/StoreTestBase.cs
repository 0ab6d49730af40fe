using System.Security.Cryptography;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Sessions;
using BoltGate.Storage.Withdrawals;
using BoltGate.Testing.Databases;
using Microsoft.Extensions.Time.Testing;

namespace BoltGate.Storage.Tests;

/// <summary>
/// One fresh database and store per test, on the engine the subclass names. The helpers build the
/// usual path: a card with a balance, an offer for a tap, a reservation.
/// </summary>
public abstract class StoreTestBase : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);
    protected static readonly TimeSpan Ttl = TimeSpan.FromMinutes(2);

    private TestDatabase? _database;
    private BoltGateStore? _store;

    protected abstract StorageProvider Provider { get; }

    protected FakeTimeProvider Time { get; } = new(Start);

    protected byte[] DataKey { get; } = RandomNumberGenerator.GetBytes(32);

    protected BoltGateStore Store => _store ?? throw new InvalidOperationException("Store not opened.");

    protected TestDatabase Database => _database ?? throw new InvalidOperationException("Database not created.");

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(Provider);
        _store = await OpenStoreAsync();
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
            await _store.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }

    protected Task<BoltGateStore> OpenStoreAsync() => BoltGateStore.OpenAsync(
        new StorageOptions { Provider = Provider, ConnectionString = Database.ConnectionString, DataKey = DataKey }, Time);

    protected static string RandomHex(int bytes) => Hex.Lower(RandomNumberGenerator.GetBytes(bytes));

    protected async Task<Card> NewCardAsync(long balanceSat = 0, long? perTapSat = null, long? dailySat = null)
    {
        var card = await Store.CreateCardAsync(new NewCard(
            RandomHex(16), "test card", RandomHex(7), 1, CardKeySource.Deterministic, null,
            perTapSat is null ? null : Msat.FromSat(perTapSat.Value), dailySat is null ? null : Msat.FromSat(dailySat.Value)));
        Assert.NotNull(card);
        if (balanceSat > 0)
            card = await Store.CreditAsync(card.Id, Msat.FromSat(balanceSat), "test top-up");
        return card!;
    }

    protected async Task<K1Session> OfferAsync(string cardId, long counter)
    {
        var offer = await Store.OfferAsync(cardId, counter, Ttl);
        return Assert.IsType<OfferResult.Offered>(offer).Session;
    }

    protected static ReserveRequest Request(string k1, long amountSat, long feeReserveSat = 0, Bytes32? hash = null) =>
        new(k1, "lnbcrt-test-" + k1, hash ?? Bytes32.FromSpan(RandomNumberGenerator.GetBytes(32)), Msat.FromSat(amountSat),
            Msat.FromSat(feeReserveSat), Start.AddMinutes(1));

    protected async Task<Withdrawal> ReserveAsync(string cardId, long counter, long amountSat, long feeReserveSat = 0)
    {
        var session = await OfferAsync(cardId, counter);
        var result = await Store.ReserveAsync(Request(session.K1, amountSat, feeReserveSat));
        return Assert.IsType<ReserveResult.Reserved>(result).Withdrawal;
    }

    protected async Task<Msat> BalanceAsync(string cardId) => (await Store.GetCardAsync(cardId))!.Balance;

    /// <summary>The invariant behind every test: each card's balance is the sum of its ledger.</summary>
    protected async Task AssertLedgerMatchesAsync()
    {
        Assert.Empty(await Store.FindLedgerMismatchesAsync());
    }
}
