using System.Net.Http.Json;
using System.Text.Json;
using BoltGate.Client;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Money;
using BoltGate.Lightning.Fakes.Lnd;
using BoltGate.Lightning.Simulated;

namespace BoltGate.Server.Tests;

/// <summary>
/// Crash recovery with the real server process: the Lightning node is the LND fake in this test process
/// (so the node, unlike our process, survives), the server is killed while a payment is in flight and
/// started again on the same data directory; the restarted reconciler must finish the withdrawal from
/// what the node says — settle when it settles, refund only when it fails — and never pay twice.
/// </summary>
[Trait(Category.Name, Category.Process)]
public sealed class RestartRecoveryTests : IAsyncLifetime
{
    private const string AdminKey = "restart-admin-key-0123456789abcdef";
    private readonly TempDir _workDir = new("boltgate-restart-");
    private readonly SimulatedNetwork _network = new(BitcoinNetwork.Regtest, TimeProvider.System);
    private LndRestFake _lnd = null!;

    public async Task InitializeAsync()
    {
        _network.AddPayee("held", new PayeeBehavior.HeldInFlight(TimeSpan.FromSeconds(15), true, new Msat(2_000)));
        _network.AddPayee("void", new PayeeBehavior.Hang());
        _lnd = await LndRestFake.StartAsync(_network);
    }

    public async Task DisposeAsync()
    {
        await _lnd.DisposeAsync();
        _workDir.Dispose();
    }

    private ServerProcess StartServer() => ServerProcess.Start(_workDir.Path,
        "--Lightning:ConnectionString=" + _lnd.ConnectionString,
        "--Admin:ApiKey=" + AdminKey,
        "--Payments:CallbackWait=00:00:02",
        "--Payments:ReconcileInterval=00:00:01",
        "--Payments:InstanceId=restart-test");

    [Fact(Timeout = 120_000)]
    public async Task A_payment_in_flight_when_the_server_dies_settles_after_the_restart_and_is_paid_once()
    {
        var (cardId, withdrawalId, hash) = await PayAndKillAsync("held");

        using var again = StartServer();
        await again.WaitHealthyAsync();
        using var admin = Admin(again);
        var final = await WaitForStateAsync(admin, withdrawalId, "Succeeded", TimeSpan.FromSeconds(60));

        Assert.Equal(2_000, final.FeeMsat);
        var card = await admin.GetCardAsync(cardId, default);
        Assert.Equal(Msat.FromSat(10_000).Value - Msat.FromSat(1_000).Value - 2_000, card.BalanceMsat);
        Assert.Equal(1, _network.PaymentsStarted);
        Assert.True(_network.Find(hash)!.IsFinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_payment_the_node_holds_is_kept_reserved_across_the_restart_and_refunded_only_when_the_node_fails_it()
    {
        var (cardId, withdrawalId, hash) = await PayAndKillAsync("void");

        using var again = StartServer();
        await again.WaitHealthyAsync();
        using var admin = Admin(again);
        await Task.Delay(TimeSpan.FromSeconds(5)); // several reconciler passes and look-ups
        var held = await admin.GetWithdrawalAsync(withdrawalId, default);
        Assert.Equal("InFlight", held.State);
        var reserved = await admin.GetCardAsync(cardId, default);
        Assert.True(reserved.BalanceMsat < Msat.FromSat(9_000).Value, "the reservation must stay while the HTLC may settle");

        _network.Resolve(hash, settle: false);
        await WaitForStateAsync(admin, withdrawalId, "Failed", TimeSpan.FromSeconds(60));

        var card = await admin.GetCardAsync(cardId, default);
        Assert.Equal(Msat.FromSat(10_000).Value, card.BalanceMsat);
        var ledger = await admin.GetLedgerAsync(cardId, default);
        Assert.Equal(1, ledger.Count(e => e.Kind == "refund"));
        Assert.Equal(1, _network.PaymentsStarted);
    }

    /// <summary>Card, tap, callback (answered OK "pending"), the payment in flight at the node; then the server is killed.</summary>
    private async Task<(string CardId, string WithdrawalId, Core.Crypto.Bytes32 Hash)> PayAndKillAsync(string payee)
    {
        using var server = StartServer();
        await server.WaitHealthyAsync();
        using var admin = Admin(server);
        var card = TestCard.From(await admin.CreateCardAsync(new CreateCardRequest("restart", "04a39493cc8681"), default));
        Assert.Equal(Msat.FromSat(10_000).Value, (await admin.CreditAsync(card.Id, 10_000, null, default)).BalanceMsat);

        var (p, c) = card.Tap(1);
        using var pos = new HttpClient { BaseAddress = new Uri(server.Url) };
        var offer = await pos.GetFromJsonAsync<JsonElement>($"/ln?p={p}&c={c}");
        var invoice = _network.CreatePayeeInvoice(payee, Msat.FromSat(1_000));
        var hash = ((Bolt11DecodeResult.Ok)Bolt11Decoder.Decode(invoice)).Invoice.PaymentHash;
        var answer = await pos.GetFromJsonAsync<JsonElement>($"/ln/callback?k1={offer.GetProperty("k1").GetString()}&pr={invoice}");
        Assert.Equal("OK", answer.GetProperty("status").GetString());
        Assert.Contains("pending", answer.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var withdrawal = Assert.Single(await admin.ListWithdrawalsAsync(card.Id, default));
        Assert.Contains(withdrawal.State, new[] { "Sending", "InFlight" });
        Assert.NotNull(_network.Find(hash)); // the node has the HTLC out
        return (card.Id, withdrawal.Id, hash);
        // leaving the using block kills the process: a crash, not a graceful stop
    }

    private static BoltGateClient Admin(ServerProcess server) => server.AdminClient(AdminKey);

    private static async Task<Withdrawal> WaitForStateAsync(BoltGateClient admin, string withdrawalId, string state, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        Withdrawal? last = null;
        while (DateTime.UtcNow < until)
        {
            last = await admin.GetWithdrawalAsync(withdrawalId, default);
            if (last.State == state)
                return last;
            await Task.Delay(250);
        }
        throw new TimeoutException($"withdrawal {withdrawalId} did not reach {state}; last: {last}");
    }
}
