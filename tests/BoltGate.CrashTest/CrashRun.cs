using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Sun;
using BoltGate.Lightning.Fakes.CoreLightning;
using BoltGate.Lightning.Fakes.Lnd;
using BoltGate.Lightning.Simulated;
using BoltGate.Storage;
using BoltGate.Testing;
using BoltGate.Testing.Databases;

namespace BoltGate.CrashTest;

public enum CrashBackend
{
    Lnd,
    CoreLightning,
}

/// <summary>One crash run's shape; the CI variant is small, the tool's full run is not.</summary>
public sealed record CrashRunOptions
{
    public StorageProvider Provider { get; init; } = StorageProvider.Sqlite;

    public CrashBackend Backend { get; init; } = CrashBackend.Lnd;

    /// <summary>Cards use the GradedRetry strategy (PUT /api/v1/cards/{id}/payment-policy) instead of FastFail.</summary>
    public bool GradedRetry { get; init; }

    public int Withdrawals { get; init; } = 60;

    public int Kills { get; init; } = 3;

    public int Cards { get; init; } = 12;

    public int Concurrency { get; init; } = 6;

    public int Seed { get; init; } = Environment.TickCount;

    /// <summary>How long the run waits, after the last withdrawal, for everything that can end to end.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public Action<string> Log { get; init; } = _ => { };

    public string Name => $"{(Provider == StorageProvider.Sqlite ? "sqlite" : "postgres")}/{(Backend == CrashBackend.Lnd ? "lnd" : "cln")}/{(GradedRetry ? "GradedRetry" : "FastFail")}";
}

/// <summary>What a run did and every broken invariant it found (none is the pass).</summary>
public sealed record CrashReport(
    string Name,
    int Seed,
    int Submitted,
    int Reserved,
    int Kills,
    int Succeeded,
    int Failed,
    int StillInFlight,
    int NodeStarts,
    int MostStartsOfOneHash,
    long CreditedMsat,
    long BalancesMsat,
    long SettledMsat,
    long FeesMsat,
    long HeldMsat,
    TimeSpan Elapsed,
    IReadOnlyList<string> Violations,
    string TapRefusals = "")
{
    public bool Passed => Violations.Count == 0 && Reserved > 0;

    public string Line =>
        $"{Name}: {(Passed ? "PASS" : "FAIL")} seed={Seed} submitted={Submitted} reserved={Reserved} kills={Kills} succeeded={Succeeded} " +
        $"failed={Failed} in-flight={StillInFlight} node-starts={NodeStarts} max-starts-per-hash={MostStartsOfOneHash} " +
        $"credits={CreditedMsat} = balances {BalancesMsat} + settled {SettledMsat} + fees {FeesMsat} + held {HeldMsat} " +
        $"violations={Violations.Count} in {Elapsed.TotalSeconds:F0} s; taps not answered with an offer: {(TapRefusals.Length == 0 ? "none" : TapRefusals)}";
}

/// <summary>
/// The crash test. The Lightning node (the LND REST fake over TLS or the Core Lightning JSON-RPC fake on
/// a unix socket) lives in this process and outlives the gateway; the gateway is the real server
/// process (<see cref="ServerProcess"/>), SIGKILLed at random points while POS workers tap and call
/// back, and started again on the same database — sometimes under the same instance name (its leases
/// come back at once), sometimes under a new one (they must lapse). At the end the node is the truth:
/// no hash was started more often than the gateway made attempts (once for FastFail), a withdrawal
/// settled exactly when the node paid it, one refunded only when the node did not pay it, every
/// reservation has its one ledger entry and at most one ending, every balance equals its ledger, and
/// the credits equal balances + settled + fees + what is still held for payments in flight.
/// </summary>
public sealed class CrashRun
{
    private const string AdminKey = "crash-test-admin-key-0123456789abcdef";
    private const string IssuerKey = "000102030405060708090a0b0c0d0e0f";
    private const long CardSat = 200_000;

    /// <summary>Payees and their weights: succeed, succeed slowly, fail, no route, held then settle or fail, hang forever.</summary>
    private static readonly (string Name, int Weight, PayeeBehavior Behavior)[] Payees =
    [
        ("crash-ok", 34, new PayeeBehavior.Succeed(TimeSpan.FromMilliseconds(40), new Msat(1_000))),
        ("crash-slow", 14, new PayeeBehavior.Succeed(TimeSpan.FromMilliseconds(1_500), new Msat(2_000))),
        ("crash-rejects", 16, new PayeeBehavior.Rejects(TimeSpan.FromMilliseconds(200))),
        ("crash-broke", 4, new PayeeBehavior.InsufficientLiquidity()),
        ("crash-held", 14, new PayeeBehavior.HeldInFlight(TimeSpan.FromSeconds(4), true, new Msat(1_500))),
        ("crash-held-fails", 10, new PayeeBehavior.HeldInFlight(TimeSpan.FromSeconds(4), false, new Msat(1_500))),
        ("crash-hang", 3, new PayeeBehavior.Hang()),
    ];

    private readonly CrashRunOptions _o;
    private readonly Random _random;
    private readonly SimulatedNetwork _network = new(BitcoinNetwork.Regtest, TimeProvider.System);
    private readonly string _workDir = Directory.CreateTempSubdirectory("boltgate-crash-").FullName;
    private readonly SemaphoreSlim _serverGate = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _tapRefusals = new();
    private ServerProcess? _server;
    private string _nodeConnection = "";
    private string _databaseConnection = "";
    private int _instance;

    public CrashRun(CrashRunOptions options)
    {
        _o = options ?? throw new ArgumentNullException(nameof(options));
        _random = new Random(options.Seed);
        foreach (var (name, _, behavior) in Payees)
            _network.AddPayee(name, behavior);
    }

    public async Task<CrashReport> RunAsync()
    {
        if (_o.Cards < _o.Concurrency)
            throw new ArgumentException("Every worker needs a card of its own: Cards >= Concurrency.");
        var clock = Stopwatch.StartNew();
        await using var database = await TestDatabase.CreateAsync(_o.Provider).ConfigureAwait(false);
        _databaseConnection = database.ConnectionString;
        LndRestFake? lnd = null;
        ClnRpcFake? cln = null;
        try
        {
            if (_o.Backend == CrashBackend.Lnd)
            {
                lnd = await LndRestFake.StartAsync(_network).ConfigureAwait(false);
                _nodeConnection = lnd.ConnectionString;
            }
            else
            {
                cln = ClnRpcFake.Start(_network);
                _nodeConnection = cln.ConnectionString;
            }

            _server = StartServer(sameInstance: true);
            await _server.WaitHealthyAsync().ConfigureAwait(false);
            var cards = new List<Card>();
            for (var i = 0; i < _o.Cards; i++)
                cards.Add(await CreateCardAsync().ConfigureAwait(false));

            var (submitted, kills) = await DriveAsync(cards).ConfigureAwait(false);
            _o.Log($"{_o.Name}: {submitted} callbacks sent, {kills} kills; waiting for what can end to end");

            // A last kill and restart under a new name, so the end is also reached by a stranger's takeover.
            await RestartAsync(sameInstance: false).ConfigureAwait(false);
            await WaitForQuietAsync(cards).ConfigureAwait(false);
            return await CheckAsync(cards, submitted, kills + 1, clock.Elapsed).ConfigureAwait(false);
        }
        finally
        {
            _server?.Dispose(); // a server that did not come up is reported by the exception in flight, not hidden here
            if (lnd is not null)
                await lnd.DisposeAsync().ConfigureAwait(false);
            if (cln is not null)
                await cln.DisposeAsync().ConfigureAwait(false);
            try
            {
                Directory.Delete(_workDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private ServerProcess StartServer(bool sameInstance)
    {
        if (!sameInstance)
            _instance++;
        var args = new List<string>
        {
            "--Storage:Provider=" + (_o.Provider == StorageProvider.Sqlite ? "sqlite" : "postgres"),
            "--Storage:ConnectionString=" + _databaseConnection,
            "--Lightning:ConnectionString=" + _nodeConnection,
            "--Admin:ApiKey=" + AdminKey,
            "--Issuer:Key=" + IssuerKey,
            "--Gateway:PublicUrl=http://crash.example.test",
            "--Payments:InstanceId=crash-" + _instance.ToString(CultureInfo.InvariantCulture),
            "--Payments:CallbackWait=00:00:02",
            "--Payments:ReconcileInterval=00:00:01",
            "--Payments:Retry:FastInterval=00:00:02",
            "--Payments:Retry:FastAttempts=2",
            "--Payments:Retry:SlowInterval=00:00:03",
            "--Payments:Retry:MaxAttempts=3",
            "--Logging:LogLevel:Default=Warning",
            // The tool reads refusals by their HTTP status, and drives one card's taps and callbacks from one
            // address through kills (replays, lapsed k1s): crash safety is under test here, not the limits.
            "--Lnurl:ErrorStatus=http4xx",
            "--RateLimits:Enabled=false",
        };
        return ServerProcess.Start(_workDir, [.. args]);
    }

    /// <summary>SIGKILL (Process.Kill) and a start on the same database; waits until it answers.</summary>
    private async Task RestartAsync(bool sameInstance)
    {
        await _serverGate.WaitAsync().ConfigureAwait(false);
        try
        {
            var dead = _server;
            _server = null;
            dead?.Dispose();
            _server = StartServer(sameInstance);
            await _server.WaitHealthyAsync().ConfigureAwait(false);
        }
        finally
        {
            _serverGate.Release();
        }
    }

    private HttpClient Client(bool admin = false)
    {
        // Between a kill and the restart there is no server: that is "down" (retried), like a refused connection.
        var server = Volatile.Read(ref _server) ?? throw new HttpRequestException("The server is restarting.");
        var client = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(30) };
        if (admin)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    private async Task<Card> CreateCardAsync()
    {
        using var admin = Client(admin: true);
        var uid = "04" + Hex.Lower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        var created = await admin.PostAsJsonAsync("/api/v1/cards", new { name = "crash", uid }).ConfigureAwait(false);
        created.EnsureSuccessStatusCode();
        var json = await created.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
        var keys = json.GetProperty("keys");
        var card = new Card(json.GetProperty("id").GetString()!, uid, Hex.Decode(keys.GetProperty("k1").GetString()!),
            Hex.Decode(keys.GetProperty("k2").GetString()!));
        (await admin.PostAsJsonAsync($"/api/v1/cards/{card.Id}/credit", new { amountSat = CardSat }).ConfigureAwait(false)).EnsureSuccessStatusCode();
        if (_o.GradedRetry)
            (await admin.PutAsJsonAsync($"/api/v1/cards/{card.Id}/payment-policy", new { policy = "GradedRetry" }).ConfigureAwait(false))
                .EnsureSuccessStatusCode();
        return card;
    }

    /// <summary>POS workers tap and call back; the killer kills the server at random points in between.</summary>
    private async Task<(int Submitted, int Kills)> DriveAsync(List<Card> cards)
    {
        var next = -1;
        var submitted = 0;
        var killAt = new SortedSet<int>();
        while (killAt.Count < _o.Kills)
            killAt.Add(_random.Next(_o.Withdrawals / 20, _o.Withdrawals));
        var kills = 0;
        var killer = Task.Run(async () =>
        {
            foreach (var at in killAt)
            {
                while (Volatile.Read(ref next) < at)
                    await Task.Delay(20).ConfigureAwait(false);
                int delay;
                bool same;
                lock (_random)
                {
                    delay = _random.Next(0, 1_500);
                    same = _random.Next(2) == 0;
                }
                await Task.Delay(delay).ConfigureAwait(false); // somewhere in a callback, a send or a track
                await RestartAsync(same).ConfigureAwait(false);
                Interlocked.Increment(ref kills);
                _o.Log($"{_o.Name}: kill {kills} at withdrawal {at} ({(same ? "same" : "new")} instance)");
            }
        });

        // Each worker taps its own cards, so a card's counters arrive in order (as one card on one POS would).
        var workers = Enumerable.Range(0, _o.Concurrency).Select(j => Task.Run(async () =>
        {
            var mine = cards.Where((_, index) => index % _o.Concurrency == j).ToList();
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= _o.Withdrawals)
                    return;
                Card card;
                string payee;
                long sat;
                lock (_random)
                {
                    card = mine[_random.Next(mine.Count)];
                    payee = PickPayee();
                    sat = _random.Next(100, 2_000);
                }
                if (await TryWithdrawAsync(card, payee, sat).ConfigureAwait(false))
                    Interlocked.Increment(ref submitted);
            }
        })).ToList();
        await Task.WhenAll(workers).ConfigureAwait(false);
        Volatile.Write(ref next, int.MaxValue);
        await killer.ConfigureAwait(false);
        return (submitted, kills);
    }

    private string PickPayee()
    {
        var roll = _random.Next(Payees.Sum(p => p.Weight));
        foreach (var (name, weight, _) in Payees)
        {
            if (roll < weight)
                return name;
            roll -= weight;
        }
        return Payees[0].Name;
    }

    /// <summary>One tap and its callback; false when the server was down at the tap (nothing reserved).</summary>
    private async Task<bool> TryWithdrawAsync(Card card, string payee, long sat)
    {
        for (var tries = 0; tries < 300; tries++) // a restart on a busy machine can take a while: up to a minute
        {
            try
            {
                using var client = Client();
                var (p, c) = SunGenerator.Create(card.K1, card.K2, CardUid.Parse(card.Uid), card.NextCounter());
                var offer = await client.GetAsync($"/ln?p={p}&c={c}").ConfigureAwait(false);
                if (!offer.IsSuccessStatusCode)
                {
                    var code = await offer.Content.ReadAsStringAsync().ConfigureAwait(false) is var body && body.Contains("\"code\"", StringComparison.Ordinal)
                        ? JsonDocument.Parse(body).RootElement.GetProperty("code").GetString() ?? "?"
                        : ((int)offer.StatusCode).ToString(CultureInfo.InvariantCulture);
                    _tapRefusals.AddOrUpdate(code, 1, (_, n) => n + 1);
                    return false;
                }
                var k1 = (await offer.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false)).GetProperty("k1").GetString()!;
                var invoice = _network.CreatePayeeInvoice(payee, Msat.FromSat(sat), "crash test", TimeSpan.FromMinutes(30));
                try
                {
                    await client.GetAsync($"/ln/callback?k1={k1}&pr={invoice}").ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // The server died during the callback: the withdrawal may be reserved; the restart finishes it.
                }
                return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(200).ConfigureAwait(false); // the server is down at the tap: tap again
            }
        }
        _tapRefusals.AddOrUpdate("server down", 1, (_, n) => n + 1);
        return false;
    }

    /// <summary>Waits until every withdrawal has ended, except those the node still holds in flight.</summary>
    private async Task WaitForQuietAsync(List<Card> cards)
    {
        var until = DateTime.UtcNow + _o.SettleTimeout;
        while (true)
        {
            var open = 0;
            foreach (var w in await AllWithdrawalsAsync(cards).ConfigureAwait(false))
            {
                if (w.State is "Succeeded" or "Failed")
                    continue;
                if (w.State == "InFlight" && _network.Find(Bytes32.ParseHex(w.PaymentHash)) is { IsFinal: false })
                    continue; // held by the node (the hanging payee): it stays reserved
                open++;
            }
            if (open == 0)
                return;
            if (DateTime.UtcNow > until)
            {
                _o.Log($"{_o.Name}: {open} withdrawal(s) still open after {_o.SettleTimeout}");
                return; // the check reports them
            }
            await Task.Delay(500).ConfigureAwait(false);
        }
    }

    private async Task<List<Withdrawal>> AllWithdrawalsAsync(List<Card> cards)
    {
        using var admin = Client(admin: true);
        var all = new List<Withdrawal>();
        foreach (var card in cards)
        {
            var rows = await admin.GetFromJsonAsync<List<Withdrawal>>($"/api/v1/cards/{card.Id}/withdrawals", Json).ConfigureAwait(false);
            if (rows!.Count >= 100)
                throw new InvalidOperationException("A card has 100 withdrawals or more: the admin list is cut off; use more cards.");
            all.AddRange(rows);
        }
        return all;
    }

    private async Task<CrashReport> CheckAsync(List<Card> cards, int submitted, int kills, TimeSpan elapsed)
    {
        var violations = new List<string>();
        using var admin = Client(admin: true);
        var withdrawals = await AllWithdrawalsAsync(cards).ConfigureAwait(false);
        long credited = 0, balances = 0, settled = 0, fees = 0, held = 0;
        foreach (var card in cards)
        {
            var view = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/cards/{card.Id}").ConfigureAwait(false);
            var balance = view.GetProperty("balanceMsat").GetInt64();
            var ledger = await LedgerAsync(admin, card.Id).ConfigureAwait(false);
            if (ledger.Sum(e => e.AmountMsat) != balance)
                violations.Add($"card {card.Id}: balance {balance} msat, ledger sums to {ledger.Sum(e => e.AmountMsat)}");
            credited += ledger.Where(e => e.Kind == "topup").Sum(e => e.AmountMsat);
            balances += balance;
            foreach (var w in withdrawals.Where(w => w.CardId == card.Id))
                CheckWithdrawal(w, ledger.Where(e => e.WithdrawalId == w.Id).ToList(), violations, ref settled, ref fees, ref held);
        }
        if (credited != balances + settled + fees + held)
            violations.Add($"credits {credited} msat != balances {balances} + settled {settled} + fees {fees} + held {held}");
        foreach (var dup in withdrawals.GroupBy(w => w.PaymentHash).Where(g => g.Count() > 1))
            violations.Add($"hash {dup.Key} reserved {dup.Count()} times");

        var starts = withdrawals.Select(w => _network.StartsOf(Bytes32.ParseHex(w.PaymentHash))).DefaultIfEmpty(0).ToList();
        return new CrashReport(_o.Name, _o.Seed, submitted, withdrawals.Count, kills,
            withdrawals.Count(w => w.State == "Succeeded"), withdrawals.Count(w => w.State == "Failed"),
            withdrawals.Count(w => w.State is not ("Succeeded" or "Failed")), starts.Sum(), starts.Max(),
            credited, balances, settled, fees, held, elapsed, violations,
            string.Join(", ", _tapRefusals.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}")));
    }

    private void CheckWithdrawal(Withdrawal w, List<Entry> entries, List<string> violations, ref long settled, ref long fees, ref long held)
    {
        var hash = Bytes32.ParseHex(w.PaymentHash);
        var atNode = _network.Find(hash);
        var starts = _network.StartsOf(hash);
        var allowed = _o.GradedRetry ? Math.Max(1, w.Attempts) : 1;
        if (starts > allowed)
            violations.Add($"{w.Id}: hash sent {starts} times for {w.Attempts} attempt(s) ({w.State})");
        var reservations = entries.Count(e => e.Kind == "reservation");
        var refunds = entries.Count(e => e.Kind == "refund");
        var releases = entries.Count(e => e.Kind == "fee_release");
        if (reservations != 1 || entries.Single(e => e.Kind == "reservation").AmountMsat != -(w.AmountMsat + w.FeeReserveMsat))
            violations.Add($"{w.Id}: {reservations} reservation entries");
        switch (w.State)
        {
            case "Succeeded":
                if (atNode is not { Status: SimulatedPaymentStatus.Succeeded })
                    violations.Add($"{w.Id}: settled, but the node's payment is {atNode?.Status.ToString() ?? "absent"}");
                if (refunds != 0 || releases != 1)
                    violations.Add($"{w.Id}: settled with {refunds} refunds and {releases} fee releases");
                if (w.FeeMsat is not { } fee || atNode is null || fee != atNode.Fee.Value)
                    violations.Add($"{w.Id}: fee {w.FeeMsat} recorded, node paid {atNode?.Fee.Value}");
                settled += w.AmountMsat;
                fees += w.FeeMsat ?? 0;
                break;
            case "Failed":
                if (atNode is { Status: not SimulatedPaymentStatus.Failed })
                    violations.Add($"{w.Id}: refunded, but the node's payment is {atNode.Status}");
                if (refunds != 1 || releases != 0)
                    violations.Add($"{w.Id}: refunded {refunds} times, {releases} fee releases");
                break;
            default:
                if (atNode is not { Status: SimulatedPaymentStatus.InFlight })
                    violations.Add($"{w.Id}: still {w.State}, node's payment is {atNode?.Status.ToString() ?? "absent"}");
                if (refunds != 0 || releases != 0)
                    violations.Add($"{w.Id}: still {w.State} with {refunds} refunds and {releases} fee releases");
                held += w.AmountMsat + w.FeeReserveMsat;
                break;
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Withdrawal(string Id, string CardId, string State, long AmountMsat, long FeeReserveMsat, long? FeeMsat,
        string PaymentHash, int Attempts);

    private sealed record Entry(string Kind, long AmountMsat, string? WithdrawalId);

    private sealed record EntryPage(List<Entry> Items, string? NextCursor);

    /// <summary>The card's whole ledger, page after page (<c>{"items","nextCursor"}</c>).</summary>
    private static async Task<List<Entry>> LedgerAsync(HttpClient admin, string cardId)
    {
        var all = new List<Entry>();
        string? cursor = null;
        do
        {
            var url = $"/api/v1/cards/{cardId}/ledger?limit=500" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = (await admin.GetFromJsonAsync<EntryPage>(url, Json).ConfigureAwait(false))!;
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    private sealed class Card(string id, string uid, byte[] k1, byte[] k2)
    {
        private long _counter;

        public string Id { get; } = id;
        public string Uid { get; } = uid;
        public byte[] K1 { get; } = k1;
        public byte[] K2 { get; } = k2;

        public uint NextCounter() => (uint)Interlocked.Increment(ref _counter);
    }
}
