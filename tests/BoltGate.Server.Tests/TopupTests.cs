using BoltGate.Client;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Lightning.Simulated;
using BoltGate.Storage;
using BoltGate.Storage.Outbox;
using BoltGate.Testing.Databases;
using Microsoft.Extensions.DependencyInjection;
using TopupPaidResult = BoltGate.Storage.Topups.TopupPaidResult;

namespace BoltGate.Server.Tests;

/// <summary>
/// Lightning top-ups through each backend (the simulated node, LND REST over its fake, Core Lightning over
/// its fake): the invoice is created on the node, its payment credits the card exactly once (one ledger
/// entry, one topup.paid event, a second report changes nothing), a top-up paid while the gateway was
/// stopped is credited when it starts again, and an unpaid one is marked expired.
/// </summary>
public abstract class TopupTests : IAsyncLifetime
{
    private const string AdminKey = "topup-admin-key-0123456789abcdef";
    private readonly SimulatedNetwork _network = new(BitcoinNetwork.Regtest, TimeProvider.System);
    private readonly TempDir _dataDir = new("boltgate-topup-");
    private RunningBackend _backend = null!;
    private TestDatabase _database = null!;

    protected abstract Backend Backend { get; }

    public async Task InitializeAsync()
    {
        _backend = await RunningBackend.StartAsync(Backend, _network, TimeProvider.System);
        _database = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
    }

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        await _database.DisposeAsync();
        _dataDir.Dispose();
    }

    private GatewayFactory StartGateway(string expiry = "01:00:00") => new(new Dictionary<string, string?>
    {
        ["DataDir"] = _dataDir.Path,
        ["Storage:Provider"] = "sqlite",
        ["Storage:ConnectionString"] = _database.ConnectionString,
        ["Admin:ApiKey"] = AdminKey,
        ["Issuer:Key"] = GatewayHost.IssuerKeyHex,
        ["Topups:InvoiceExpiry"] = expiry,
    }, _backend.NewClient());

    private static BoltGateClient Admin(GatewayFactory gateway) => new(gateway.CreateClient(), AdminKey, ownsHttp: true);

    private static async Task<Topup> WaitForStateAsync(BoltGateClient admin, string topupId, string state)
    {
        for (var i = 0; i < 200; i++)
        {
            var topup = await admin.GetTopupAsync(topupId, default);
            if (topup.State == state)
                return topup;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Top-up {topupId} never became {state}: {await admin.GetTopupAsync(topupId, default)}");
    }

    private static Bytes32 Hash(Topup t) => Bytes32.FromSpan(Hex.Decode(t.PaymentHash));

    [Fact(Timeout = 60_000)]
    public async Task A_paid_top_up_credits_the_card_once()
    {
        await using var gateway = StartGateway();
        using var admin = Admin(gateway);
        var card = await admin.CreateCardAsync(new CreateCardRequest("topped", "04a1b2c3d4e5f6"), default);

        var topup = await admin.CreateTopupAsync(card.Id, 5_000, default);
        Assert.Equal("Open", topup.State);
        Assert.StartsWith("lnbcrt50u", topup.Bolt11, StringComparison.Ordinal);
        Assert.Contains("<svg", topup.QrSvg, StringComparison.Ordinal);
        Assert.Equal(0, (await admin.GetCardAsync(card.Id, default)).BalanceMsat);

        Assert.True(_network.ReceivePayment(Hash(topup), Msat.FromSat(5_000)));
        var paid = await WaitForStateAsync(admin, topup.Id, "Paid");
        Assert.Equal(5_000_000, paid.ReceivedMsat);
        Assert.Equal(5_000_000, (await admin.GetCardAsync(card.Id, default)).BalanceMsat);

        // The node reporting it again (another instance, a restart) credits nothing more.
        var store = gateway.Services.GetRequiredService<BoltGateStore>();
        Assert.Equal(TopupPaidResult.AlreadyCredited, await store.MarkTopupPaidAsync(topup.PaymentHash, Msat.FromSat(5_000), DateTimeOffset.UtcNow));
        Assert.Equal(5_000_000, (await admin.GetCardAsync(card.Id, default)).BalanceMsat);
        var ledger = await admin.GetLedgerAsync(card.Id, default);
        Assert.Single(ledger);
        var events = await store.ListOutboxEventsAsync(0, 100);
        Assert.Single(events, e => e.Type == OutboxEventTypes.TopupPaid && e.SubjectId == topup.Id);
        Assert.Single(await admin.ListTopupsAsync(card.Id, default));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_top_up_paid_while_the_gateway_was_stopped_is_credited_when_it_starts()
    {
        string cardId;
        Topup topup;
        await using (var first = StartGateway())
        {
            using var admin = Admin(first);
            cardId = (await admin.CreateCardAsync(new CreateCardRequest("restart", "04a1b2c3d4e5f7"), default)).Id;
            topup = await admin.CreateTopupAsync(cardId, 2_000, default);
        }

        Assert.True(_network.ReceivePayment(Hash(topup), Msat.FromSat(2_000)));

        await using var second = StartGateway();
        using var again = Admin(second);
        await WaitForStateAsync(again, topup.Id, "Paid");
        Assert.Equal(2_000_000, (await again.GetCardAsync(cardId, default)).BalanceMsat);
        await using (var third = StartGateway())
        {
            using var once = Admin(third);
            await Task.Delay(500); // a third start sees it paid and credits nothing
            Assert.Equal(2_000_000, (await once.GetCardAsync(cardId, default)).BalanceMsat);
            Assert.Single(await once.GetLedgerAsync(cardId, default));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unpaid_top_up_is_marked_expired_and_bad_requests_are_refused()
    {
        await using var gateway = StartGateway(expiry: "00:00:02");
        using var admin = Admin(gateway);
        var card = await admin.CreateCardAsync(new CreateCardRequest("expiring", "04a1b2c3d4e5f8"), default);
        var topup = await admin.CreateTopupAsync(card.Id, 1_000, default);
        await WaitForStateAsync(admin, topup.Id, "Expired");
        Assert.Equal(0, (await admin.GetCardAsync(card.Id, default)).BalanceMsat);

        var zero = await Assert.ThrowsAsync<BoltGateApiException>(() => admin.CreateTopupAsync(card.Id, 0, default));
        Assert.Equal(400, (int)zero.Status);
        var unknown = await Assert.ThrowsAsync<BoltGateApiException>(() => admin.CreateTopupAsync("nope", 1_000, default));
        Assert.Equal(404, (int)unknown.Status);
        using var anonymous = new BoltGateClient(gateway.CreateClient(), null, ownsHttp: true);
        var noKey = await Assert.ThrowsAsync<BoltGateApiException>(() => anonymous.CreateTopupAsync(card.Id, 1_000, default));
        Assert.Equal(401, (int)noKey.Status);
    }
}

[Trait(Category.Name, Category.Contract)]
public sealed class TopupTests_Simulated : TopupTests
{
    protected override Backend Backend => Backend.Simulated;
}

[Trait(Category.Name, Category.Contract)]
public sealed class TopupTests_LndRest : TopupTests
{
    protected override Backend Backend => Backend.LndRest;
}

[Trait(Category.Name, Category.Contract)]
public sealed class TopupTests_CoreLightning : TopupTests
{
    protected override Backend Backend => Backend.CoreLightning;
}
