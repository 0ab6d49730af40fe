using System.Net;
using System.Net.Sockets;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Lightning.Fakes;
using BoltGate.Lightning.Fakes.Lnd;
using BoltGate.Lightning.Lnd;
using BoltGate.Lightning.Simulated;
using Microsoft.Extensions.Time.Testing;

namespace BoltGate.Lightning.Tests;

/// <summary>LND-specific wire behaviour the contract suite does not reach.</summary>
[Trait(Category.Name, Category.Contract)]
public sealed class LndRestClientTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private SimulatedNetwork _network = null!;
    private LndRestFake _fake = null!;

    public async Task InitializeAsync()
    {
        _network = new SimulatedNetwork(Core.Bitcoin.BitcoinNetwork.Regtest, _time);
        _network.AddStandardPayees();
        _fake = await LndRestFake.StartAsync(_network);
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private LndRestClient Client(string? connectionString = null, LndRestOptions? options = null) =>
        new((LightningConnectionString.LndRest)LightningConnectionString.Parse(connectionString ?? _fake.ConnectionString), _time, null, options);

    /// <summary>Look-ups whose budget the fake clock cannot run out while a busy machine answers them.</summary>
    private static readonly LndRestOptions PatientLookups = new() { TrackGrace = TimeSpan.FromMinutes(5), RequestTimeout = TimeSpan.FromMinutes(5) };

    private PayRequest Request(string payee)
    {
        var bolt11 = _network.CreatePayeeInvoice(payee, Msat.FromSat(1_000));
        var hash = ((Core.Bolt11.Bolt11DecodeResult.Ok)Core.Bolt11.Bolt11Decoder.Decode(bolt11)).Invoice.PaymentHash;
        return new PayRequest(bolt11, hash, Msat.FromSat(1_000), new Msat(10_000), _time.GetUtcNow() + TimeSpan.FromSeconds(30));
    }

    [Fact(Timeout = 30_000)]
    public async Task Send_asks_lnd_to_stop_attempts_before_our_deadline_with_the_fee_cap_in_msat()
    {
        using var client = Client();
        var request = Request("noroute");
        await client.PayAsync(request, null, CancellationToken.None);
        var body = _fake.LastSendBody!;
        Assert.Equal(28, body["timeout_seconds"]!.GetValue<int>());
        Assert.Equal("10000", body["fee_limit_msat"]!.GetValue<string>());
        Assert.False(body.ContainsKey("amt_msat"));
        Assert.False(body["no_inflight_updates"]!.GetValue<bool>());
    }

    [Fact(Timeout = 30_000)]
    public async Task Stream_that_goes_silent_after_timeout_ends_as_unknown_at_our_deadline()
    {
        // lnd #9881: IN_FLIGHT + FAILURE_REASON_TIMEOUT, then nothing, and the stream never closes.
        _fake.HangSendStreamAfterTimeout = true;
        using var client = Client();
        var request = Request("slow-settle");
        var progress = new List<PaymentProgress>();
        var pay = client.PayAsync(request, new Sink(progress), CancellationToken.None);
        await WaitUntil(() => _network.Find(request.PaymentHash) is not null);
        await Task.Delay(50);
        _time.Advance(TimeSpan.FromSeconds(28));
        await WaitUntil(() => { lock (progress) return progress.Exists(p => p.Stage == PaymentStage.NoNewAttempts); });
        _time.Advance(TimeSpan.FromSeconds(2));
        var outcome = await pay.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("TIMEOUT", Assert.IsType<PaymentOutcome.Unknown>(outcome).Reason, StringComparison.Ordinal);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_payment_that_ends_while_the_send_stream_hangs_is_known_within_seconds_not_at_the_deadline(bool settles)
    {
        // lnd #9881: the stream shows IN_FLIGHT and then nothing, while the payment settles or fails.
        _network.AddPayee("held", new PayeeBehavior.HeldInFlight(TimeSpan.FromSeconds(5), settles, new Msat(1_000)));
        _fake.HangStreamsAfterFirstUpdate = true;
        using var client = Client(options: PatientLookups);
        var request = Request("held");

        var pay = client.PayAsync(request, null, CancellationToken.None);
        var moved = await AdvanceUntil(pay, TimeSpan.FromSeconds(25));

        var outcome = await pay;
        if (settles)
            Assert.IsType<PaymentOutcome.Succeeded>(outcome);
        else
            Assert.IsType<PaymentOutcome.Failed>(outcome);
        Assert.InRange(moved, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)); // its end + a silence poll, far before the 30 s deadline
        Assert.Equal(1, _fake.SendRequests);
    }

    [Fact(Timeout = 30_000)]
    public async Task Following_a_payment_whose_track_stream_hangs_returns_its_end_within_seconds()
    {
        _network.AddPayee("held", new PayeeBehavior.HeldInFlight(TimeSpan.FromSeconds(5), true, new Msat(1_000)));
        using var payer = Client();
        var request = Request("held");
        var pay = payer.PayAsync(request, null, CancellationToken.None);
        await WaitUntil(() => _network.Find(request.PaymentHash) is not null);
        _fake.HangStreamsAfterFirstUpdate = true;
        using var follower = Client(options: PatientLookups);

        var follow = follower.FollowAsync(request.PaymentHash, CancellationToken.None);
        var moved = await AdvanceUntil(follow, TimeSpan.FromSeconds(25));

        Assert.IsType<PaymentOutcome.Succeeded>(Assert.IsType<PaymentLookup.Found>(await follow).Outcome);
        Assert.InRange(moved, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(10));
        await AdvanceUntil(pay, TimeSpan.FromSeconds(25));
    }

    /// <summary>
    /// Moves the fake clock in 250 ms steps (with a little real time between, none while a look-up is
    /// unanswered) until the task ends; returns how far.
    /// </summary>
    private async Task<TimeSpan> AdvanceUntil(Task task, TimeSpan max)
    {
        var moved = TimeSpan.Zero;
        var started = DateTime.UtcNow;
        while (!task.IsCompleted && moved < max && DateTime.UtcNow - started < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(30);
            if (_fake.TrackRequestsUnanswered > 0)
                continue; // a look-up is on its way: a busy machine must not see the fake clock run past it
            _time.Advance(TimeSpan.FromMilliseconds(250));
            moved += TimeSpan.FromMilliseconds(250);
        }
        await Task.WhenAny(task, Task.Delay(5_000));
        Assert.True(task.IsCompleted, $"still waiting after {moved} of fake time");
        return moved;
    }

    [Fact(Timeout = 30_000)]
    public async Task Hash_whose_base64_has_a_slash_is_tracked_with_the_url_safe_alphabet()
    {
        // The spec's sample hash: standard base64 "52du3f9xbv7RIjLdDmP35HV8MNkX1K/6rRVwRpeydLQ=".
        var hash = Bytes32.ParseHex("e7676eddff716efed12232dd0e63f7e4757c30d917d4affaad15704697b274b4");
        Assert.Equal("52du3f9xbv7RIjLdDmP35HV8MNkX1K_6rRVwRpeydLQ=", LndRestClient.Base64Url(hash));
        using var client = Client();
        Assert.IsType<PaymentLookup.NotFound>(await client.TrackAsync(hash, CancellationToken.None));
    }

    [Fact(Timeout = 30_000)]
    public async Task Wrong_macaroon_fails_as_node_unavailable_and_reaches_no_router()
    {
        var wrong = _fake.ConnectionString.Replace(Convert.ToHexStringLower(_fake.Macaroon), new string('a', 128), StringComparison.Ordinal);
        using var client = Client(wrong);
        var outcome = await client.PayAsync(Request("alice"), null, CancellationToken.None);
        var failed = Assert.IsType<PaymentOutcome.Failed>(outcome);
        Assert.Equal(FailureKind.NodeUnavailable, failed.Kind);
        Assert.Contains("verification failed", failed.NodeMessage, StringComparison.Ordinal);
        Assert.Equal(0, _network.PaymentsStarted);
        await Assert.ThrowsAsync<LightningNodeException>(() => client.GetInfoAsync(CancellationToken.None));
        // The liquidity read does not throw: it says it cannot tell, and why.
        var liquidity = Assert.IsType<NodeLiquidity.Unknown>(await client.GetLiquidityAsync(CancellationToken.None));
        Assert.Contains("verification failed", liquidity.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Certificate_other_than_the_pinned_one_is_refused_before_sending()
    {
        using var other = SelfSignedCertificate.Create("CN=someone-else");
        var pinned = _fake.ConnectionString.Replace(_fake.CertThumbprintHex, SelfSignedCertificate.Sha256Thumbprint(other), StringComparison.Ordinal);
        using var client = Client(pinned);
        var outcome = await client.PayAsync(Request("alice"), null, CancellationToken.None);
        Assert.Equal(FailureKind.NodeUnavailable, Assert.IsType<PaymentOutcome.Failed>(outcome).Kind);
        Assert.Equal(0, _fake.SendRequests);
    }

    [Fact(Timeout = 30_000)]
    public async Task Pinned_certificate_file_is_accepted()
    {
        using var dir = new TempDir("boltgate-tls-");
        var path = dir.File("tls.cert");
        await File.WriteAllTextAsync(path, _fake.Certificate.ExportCertificatePem());
        using var client = Client($"type=lnd-rest;server={_fake.BaseAddress};macaroon={Convert.ToHexStringLower(_fake.Macaroon)};certfilepath={path}");
        Assert.Equal(_network.NodePubKeyHex, (await client.GetInfoAsync(CancellationToken.None)).PubKey);
    }

    [Fact(Timeout = 30_000)]
    public async Task Nothing_listening_fails_as_node_unavailable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = Client($"type=lnd-rest;server=https://127.0.0.1:{port}/;macaroon=00;certthumbprint={_fake.CertThumbprintHex}");
        var outcome = await client.PayAsync(Request("alice"), null, CancellationToken.None);
        Assert.Equal(FailureKind.NodeUnavailable, Assert.IsType<PaymentOutcome.Failed>(outcome).Kind);
        Assert.IsType<NodeLiquidity.Unknown>(await client.GetLiquidityAsync(CancellationToken.None));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException();
            await Task.Delay(10);
        }
    }

    private sealed class Sink(List<PaymentProgress> list) : IProgress<PaymentProgress>
    {
        public void Report(PaymentProgress value)
        {
            lock (list)
                list.Add(value);
        }
    }
}
