using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Lightning;
using BoltGate.Storage;
using BoltGate.Storage.Withdrawals;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BoltGate.Payments;

/// <summary>
/// Drives reserved withdrawals to Succeeded or Failed (DESIGN.md, "The withdrawal state machine").
/// <list type="bullet">
/// <item>Before the node is called, Reserved → Sending is committed (with the attempt's deadline), so a
/// crash at any point is recovered by asking the node by payment hash.</item>
/// <item>The deadline is passed to the node and enforced here with the injected <see cref="TimeProvider"/>:
/// a node that has not answered by deadline + grace makes the outcome Unknown.</item>
/// <item>Succeeded settles; Failed goes to the withdrawal's strategy: give up → refund in the same
/// transaction as the failure, or retry at a time; Unknown → InFlight, tracked by hash until final.
/// Money is refunded only on a definitive failure or when the node provably never saw the payment.</item>
/// <item>Each drive holds a lease on its row, so one instance at a time drives a withdrawal, however
/// many instances share the database. Leases are short (<see cref="PaymentEngineOptions.LeaseFor"/>) and
/// renewed every <see cref="PaymentEngineOptions.LeaseRenewEvery"/> while this engine drives the row, so a
/// dead instance's payments are taken over within seconds and a live one keeps a long payment.</item>
/// </list>
/// </summary>
public sealed partial class PaymentEngine : IAsyncDisposable
{
    private readonly BoltGateStore _store;
    private readonly ILightningNode _node;
    private readonly TimeProvider _time;
    private readonly PaymentEngineOptions _options;
    private readonly StrategyCatalog _strategies;
    private readonly RouteMemory _routes;
    private readonly PaymentMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Task<Withdrawal>> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private int _stopped;
    private int _renewing;
    private Task _renewal = Task.CompletedTask;

    public PaymentEngine(
        BoltGateStore store,
        ILightningNode node,
        TimeProvider time,
        PaymentEngineOptions options,
        RouteMemory routes,
        PaymentMetrics metrics,
        ILogger<PaymentEngine>? logger = null,
        string? owner = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _node = node ?? throw new ArgumentNullException(nameof(node));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.Validate() is { } problem)
            throw new ArgumentException(problem, nameof(options));
        _strategies = new StrategyCatalog(options);
        _routes = routes ?? throw new ArgumentNullException(nameof(routes));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? NullLogger<PaymentEngine>.Instance;
        Owner = owner ?? $"{Environment.MachineName}/{Environment.ProcessId}/{Hex.Lower(RandomNumberGenerator.GetBytes(4))}";
    }

    /// <summary>This engine's name on the leases it holds.</summary>
    public string Owner { get; }

    public PaymentEngineOptions Options => _options;

    /// <summary>Withdrawals this engine is driving right now.</summary>
    public int Running => _running.Count;

    /// <summary>
    /// The callback's call: starts driving <paramref name="reserved"/> (the drive outlives the request) and
    /// waits for its outcome up to <paramref name="budget"/> (default <see cref="PaymentEngineOptions.CallbackBudget"/>).
    /// </summary>
    public Task<PaymentAnswer> PayAsync(Withdrawal reserved, TimeSpan? budget = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(reserved);
        return WaitAsync(reserved, StartAsync(reserved.Id), budget, ct);
    }

    /// <summary>
    /// <see cref="PayAsync(Withdrawal, TimeSpan?, CancellationToken)"/> for what admission hands over. A withdrawal
    /// it committed as Sending under this engine's lease is paid from that row and the decoded invoice, with
    /// no second look-up; anything else is driven from the database as usual.
    /// </summary>
    public Task<PaymentAnswer> PayAsync(AdmissionAnswer.Admitted admitted, TimeSpan? budget = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(admitted);
        var w = admitted.Withdrawal;
        if (w.State != WithdrawalState.Sending || w.LeaseOwner != Owner || w.Attempts != 1)
            return PayAsync(w, budget, ct);
        var invoice = admitted.Invoice is { } i && i.PaymentHash.ToHex() == w.PaymentHashHex
            ? new Invoice(i.PaymentHash, i.PayeeHex, i.ExpiresAt)
            : Invoice.Of(w);
        var strategy = admitted.Policy is { } policy ? _strategies.For(policy) : null;
        return WaitAsync(w, Start(w.Id, leased: true, new Attempt(w, invoice, strategy)), budget, ct);
    }

    /// <summary>
    /// The lease a withdrawal admitted straight to Sending carries (for <see cref="BoltGateStore.ReserveSendingAsync"/>):
    /// this engine's name for <see cref="PaymentEngineOptions.LeaseFor"/>, as <see cref="BoltGateStore.MarkSendingAsync"/> sets it;
    /// the renewal loop keeps it alive while the drive goes on.
    /// </summary>
    public SendingLease FirstAttemptLease() => new(Owner, _options.LeaseFor);

    private async Task<PaymentAnswer> WaitAsync(Withdrawal reserved, Task<Withdrawal> drive, TimeSpan? budget, CancellationToken ct)
    {
        using var waitCancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var wait = Task.Delay(budget ?? _options.CallbackBudget, _time, waitCancel.Token);
        var first = await Task.WhenAny(drive, wait).ConfigureAwait(false);
        await waitCancel.CancelAsync().ConfigureAwait(false);
        // A drive that broke (database gone) leaves the row reserved for the reconciler: that is "pending" too.
        var current = first == drive && drive.IsCompletedSuccessfully
            ? drive.Result
            : await _store.GetWithdrawalAsync(reserved.Id, CancellationToken.None).ConfigureAwait(false) ?? reserved;
        return PaymentAnswer.From(current);
    }

    /// <summary>
    /// Starts driving a withdrawal unless this engine already is; the task ends with the withdrawal as it
    /// then stands: final, waiting for a retry, or untouched when another instance holds its lease.
    /// </summary>
    public Task<Withdrawal> StartAsync(string withdrawalId) => Start(withdrawalId, leased: false, sent: null);

    /// <summary>The reconciler's call for a row it has just claimed (the lease is already ours).</summary>
    internal Task<Withdrawal> ResumeClaimed(string withdrawalId) => Start(withdrawalId, leased: true, sent: null);

    /// <summary>
    /// The route check for a callback, before anything is reserved: only when this payee failed with
    /// NO_ROUTE recently does it ask the node for a route, and refuses when there still is none.
    /// </summary>
    public async Task<Preflight> PreflightAsync(string payeeHex, Msat amount, CancellationToken ct = default)
    {
        if (!_routes.ShouldProbe(payeeHex))
            return Preflight.Proceed.Instance;
        RouteProbe probe;
        try
        {
            probe = await _node.ProbeRouteAsync(payeeHex, amount, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            probe = new RouteProbe.Unknown(e.Message);
        }
        switch (probe)
        {
            case RouteProbe.NoRoute none:
                _routes.RememberNoRoute(payeeHex);
                _metrics.Preflight("no_route");
                return new Preflight.NoRoute(none.NodeMessage);
            case RouteProbe.Found:
                _routes.Forget(payeeHex);
                _metrics.Preflight("route_found");
                return Preflight.Proceed.Instance;
            default:
                _metrics.Preflight("unknown");
                return Preflight.Proceed.Instance;
        }
    }

    /// <summary>
    /// Operator cancel: refunds a withdrawal that is Reserved (waiting for a retry, or not yet sent) and
    /// never one the node may be paying (Sending, InFlight: the answer is WrongState).
    /// </summary>
    public async Task<TransitionResult> CancelAsync(string withdrawalId, string reason, CancellationToken ct = default)
    {
        var result = await _store.CancelReservedAsync(withdrawalId, reason, ct).ConfigureAwait(false);
        if (result is TransitionResult.Applied)
            _metrics.Refunded(FailureKind.Canceled.Code(), TimeSpan.Zero);
        return result;
    }

    /// <summary>Stops every drive (the rows stay as they are, for the reconciler) and gives their leases back.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
            await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running.Values).ConfigureAwait(false);
            await _renewal.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogStopFailed(_logger, e);
        }
    }

    /// <summary>Leases this engine renewed so far (each row counts once per renewal).</summary>
    public long LeasesRenewed => Interlocked.Read(ref _leasesRenewed);

    private long _leasesRenewed;

    /// <summary>Starts the renewal loop with the first drive; it runs until the engine stops.</summary>
    private void EnsureRenewing()
    {
        if (Interlocked.Exchange(ref _renewing, 1) == 0)
            _renewal = RenewLeasesAsync(_stopping.Token);
    }

    /// <summary>
    /// Every <see cref="PaymentEngineOptions.LeaseRenewEvery"/>: extends the leases of the withdrawals being
    /// driven here. A row whose lease another instance took over (this one was cut off from the database for
    /// longer than a lease) is not renewed; its drive notices at its next lease check and lets it go.
    /// </summary>
    private async Task RenewLeasesAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.LeaseRenewEvery, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                var ids = _running.Keys.ToArray();
                if (ids.Length == 0)
                    continue;
                try
                {
                    var renewed = await _store.RenewLeasesAsync(Owner, ids, _options.LeaseFor, ct).ConfigureAwait(false);
                    Interlocked.Add(ref _leasesRenewed, renewed.Count);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    LogRenewFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Same as <see cref="StopAsync"/>; safe to call more than once (the host and the container both may).</summary>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <param name="sent">A first attempt committed as Sending under our lease: its node call comes first.</param>
    private Task<Withdrawal> Start(string id, bool leased, Attempt? sent)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        while (true)
        {
            if (_running.TryGetValue(id, out var existing))
                return existing;
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var drive = RunAfter(gate.Task, id, leased, sent);
            if (_running.TryAdd(id, drive))
            {
                EnsureRenewing();
                gate.SetResult();
                return drive;
            }
            gate.SetCanceled();
        }
    }

    private async Task<Withdrawal> RunAfter(Task gate, string id, bool leased, Attempt? sent)
    {
        await gate.ConfigureAwait(false);
        try
        {
            return await DriveAsync(id, leased, sent, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Database or node client broke: the row stays as it is (never refunded on an error); free it so
            // the reconciler's next pass takes it up instead of waiting for the lease to lapse.
            LogDriveFailed(_logger, e, id);
            try
            {
                await _store.ReleaseLeaseAsync(id, Owner, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception again) when (again is not OperationCanceledException)
            {
                LogDriveFailed(_logger, again, id);
            }
            throw;
        }
        finally
        {
            _running.TryRemove(id, out _);
        }
    }

    private async Task<Withdrawal> DriveAsync(string id, bool leased, Attempt? sent, CancellationToken ct)
    {
        try
        {
            if (!leased && !await _store.TryLeaseAsync(id, Owner, _options.LeaseFor, ct).ConfigureAwait(false))
                return await CurrentAsync(id).ConfigureAwait(false); // another instance drives it, or it is final

            var poll = _options.TrackFirstPoll;
            if (sent is not null)
            {
                // Committed as Sending with our lease in the reserving transaction: call the node now.
                var outcome = await PayOnceAsync(sent.Withdrawal, sent.Invoice, sent.Withdrawal.Deadline, leaseTaken: true, ct).ConfigureAwait(false);
                var first = await ApplyAsync(sent, outcome, ct).ConfigureAwait(false);
                if (first is Step.Done done)
                    return done.Withdrawal;
                if (first is Step.Wait)
                {
                    if (!await _store.TryLeaseAsync(id, Owner, _options.LeaseFor, ct).ConfigureAwait(false))
                        return await CurrentAsync(id).ConfigureAwait(false);
                    await WaitForChangeAsync(sent.Invoice.Hash, poll, ct).ConfigureAwait(false);
                    poll = poll * 2 > _options.TrackMaxPoll ? _options.TrackMaxPoll : poll * 2;
                }
            }

            while (true)
            {
                var w = await _store.GetWithdrawalAsync(id, ct).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Withdrawal {id} disappeared.");
                if (w.State.IsFinal())
                    return w;
                var plan = await _store.GetPaymentPlanAsync(id, ct).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Withdrawal {id} disappeared.");
                var ctx = new Attempt(w, Invoice.Of(w), _strategies.For(plan.Policy));

                var step = w.State == WithdrawalState.Reserved
                    ? await SendAsync(ctx, plan.NextAttemptAt, ct).ConfigureAwait(false)
                    : await CheckAsync(ctx, ct).ConfigureAwait(false);
                switch (step)
                {
                    case Step.Done done:
                        return done.Withdrawal;
                    case Step.Again:
                        poll = _options.TrackFirstPoll;
                        continue;
                    case Step.Wait:
                        if (!await _store.TryLeaseAsync(id, Owner, _options.LeaseFor, ct).ConfigureAwait(false))
                            return await CurrentAsync(id).ConfigureAwait(false);
                        await WaitForChangeAsync(ctx.Invoice.Hash, poll, ct).ConfigureAwait(false);
                        poll = poll * 2 > _options.TrackMaxPoll ? _options.TrackMaxPoll : poll * 2;
                        continue;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the row stays as it is; give the lease back so the next start takes it at once.
            await _store.ReleaseLeaseAsync(id, Owner, CancellationToken.None).ConfigureAwait(false);
            return await CurrentAsync(id).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Until the next look-up: a node that streams (LND) is followed for up to the longest poll interval
    /// (then the lease is renewed and the stream opened again); any other node is polled with a backoff.
    /// </summary>
    private async Task WaitForChangeAsync(Bytes32 hash, TimeSpan poll, CancellationToken ct)
    {
        if (_node is IPaymentFollower { CanFollow: true } follower)
        {
            using var window = new CancellationTokenSource(_options.TrackMaxPoll, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, window.Token);
            var started = _time.GetUtcNow();
            try
            {
                var seen = await follower.FollowAsync(hash, linked.Token).ConfigureAwait(false);
                if (seen is PaymentLookup.Found)
                    return; // final (or the stream ended): look it up and act now
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return; // window over: renew the lease, follow again
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFollowFailed(_logger, e);
            }
            // The stream could not be followed (node unreachable): fall back to the backoff for this round.
            var rest = poll - (_time.GetUtcNow() - started);
            if (rest > TimeSpan.Zero)
                await Task.Delay(rest, _time, ct).ConfigureAwait(false);
            return;
        }
        await Task.Delay(poll, _time, ct).ConfigureAwait(false);
    }

    /// <summary>A Reserved withdrawal: send it if it is due and its window is open, or refund it when no window is left.</summary>
    private async Task<Step> SendAsync(Attempt a, DateTimeOffset? nextAttemptAt, CancellationToken ct)
    {
        var w = a.Withdrawal;
        var now = _time.GetUtcNow();
        if (nextAttemptAt is { } due && due > now)
        {
            // Waiting for a retry: not ours to send yet; the reconciler claims it when it is due.
            await _store.ReleaseLeaseAsync(w.Id, Owner, ct).ConfigureAwait(false);
            return new Step.Done(w);
        }

        DateTimeOffset? deadline = w.Attempts == 0
            ? (now < w.Deadline ? w.Deadline : null)
            : _options.Deadlines.DeadlineFor(a.Invoice.ExpiresAt, now);
        if (deadline is not { } until)
        {
            // Never sent in this window, and no window is left: the node never saw it, so the refund is safe.
            var kind = w.Attempts == 0 || !FailureKindCodes.TryParse(w.FailureCode, out var last) ? FailureKind.Timeout : last;
            var why = w.Attempts == 0
                ? "the deadline passed before the payment was sent; nothing was sent"
                : $"no time left for another attempt before the invoice expires; last failure: {w.NodeMessage}";
            return await RefundAsync(w, kind, why, Stopwatch.GetTimestamp(), ct).ConfigureAwait(false);
        }

        // One transaction: the intent to pay, the attempt's deadline, and our lease (renewed while we drive it).
        if (await _store.MarkSendingAsync(w.Id, until, Owner, _options.LeaseFor, ct).ConfigureAwait(false)
            is not TransitionResult.Applied { Withdrawal: var sending })
            return Step.Again.Instance;
        var outcome = await PayOnceAsync(sending, a.Invoice, until, leaseTaken: true, ct).ConfigureAwait(false);
        return await ApplyAsync(a with { Withdrawal = sending }, outcome, ct).ConfigureAwait(false);
    }

    /// <summary>A Sending or InFlight withdrawal: ask the node by hash and act on what it says.</summary>
    private async Task<Step> CheckAsync(Attempt a, CancellationToken ct)
    {
        var w = a.Withdrawal;
        PaymentLookup lookup;
        try
        {
            lookup = await _node.TrackAsync(a.Invoice.Hash, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            lookup = new PaymentLookup.Unavailable(e.Message);
        }

        switch (lookup)
        {
            case PaymentLookup.Found { Outcome: PaymentOutcome.Unknown unknown }:
                return await ApplyAsync(a, unknown, ct).ConfigureAwait(false);
            case PaymentLookup.Found found:
                return await ApplyAsync(a, found.Outcome, ct).ConfigureAwait(false);
            case PaymentLookup.NotFound notFound:
                var now = _time.GetUtcNow();
                if (now >= w.Deadline && now < w.Deadline + _options.DeadlineGrace)
                    return Step.Wait.Instance; // a request still on its way to the node could register late: ask again
                if (now >= w.Deadline)
                {
                    // The node has no record and we will not send it any more: it provably never went out.
                    return await ApplyAsync(a, new PaymentOutcome.Failed(FailureKind.Timeout,
                        "the node has no record of the payment and its deadline passed; nothing was sent (" + notFound.NodeMessage + ")"), ct)
                        .ConfigureAwait(false);
                }
                // Intent committed, node never saw it, window still open: send it (a duplicate would be refused).
                var outcome = await PayOnceAsync(w, a.Invoice, w.Deadline, leaseTaken: false, ct).ConfigureAwait(false);
                return await ApplyAsync(a, outcome, ct).ConfigureAwait(false);
            default:
                return Step.Wait.Instance; // Unavailable: nothing is known; ask again later
        }
    }

    private async Task<PaymentOutcome> PayOnceAsync(Withdrawal w, Invoice invoice, DateTimeOffset deadline, bool leaseTaken, CancellationToken ct)
    {
        var left = deadline - _time.GetUtcNow();
        if (left < TimeSpan.Zero)
            left = TimeSpan.Zero;
        if (!leaseTaken && !await _store.TryLeaseAsync(w.Id, Owner, _options.LeaseFor, ct).ConfigureAwait(false))
            return new PaymentOutcome.Unknown("lost the lease before sending; another instance drives this withdrawal");

        using var hardStop = new CancellationTokenSource(left + _options.DeadlineGrace, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, hardStop.Token);
        _metrics.NodeCall();
        try
        {
            return await _node.PayAsync(new PayRequest(w.Bolt11, invoice.Hash, w.Amount, w.FeeReserve, deadline), null, linked.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new PaymentOutcome.Unknown("the node gave no final answer by the deadline");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPayThrew(_logger, e, w.Id);
            return new PaymentOutcome.Unknown("the node call failed: " + e.Message);
        }
    }

    /// <summary>Acts on one outcome of the current attempt.</summary>
    private async Task<Step> ApplyAsync(Attempt a, PaymentOutcome outcome, CancellationToken ct)
    {
        var w = a.Withdrawal;
        switch (outcome)
        {
            case PaymentOutcome.Succeeded ok:
            {
                var settled = await _store.SettleAsync(w.Id, ok.Preimage, ok.Fee, _options.FeePayer, CancellationToken.None).ConfigureAwait(false);
                _routes.Forget(a.Invoice.PayeeHex);
                if (settled is not TransitionResult.Applied { Withdrawal: var paid })
                    return Step.Again.Instance;
                _metrics.Succeeded();
                LogSettled(_logger, w.Id, ok.Fee.Value);
                return new Step.Done(paid);
            }
            case PaymentOutcome.Failed failed:
            {
                var seenAt = Stopwatch.GetTimestamp();
                if (failed.Kind == FailureKind.NoRoute)
                    _routes.RememberNoRoute(a.Invoice.PayeeHex);
                var strategy = a.Strategy ?? await StrategyOfAsync(w.Id).ConfigureAwait(false);
                var decision = strategy.AfterFailure(new FailedAttempt(
                    failed.Kind, Math.Max(1, w.Attempts), _time.GetUtcNow(), a.Invoice.ExpiresAt));
                if (decision is RetryDecision.RetryAt retry)
                {
                    var scheduled = await _store.ScheduleRetryAsync(w.Id, failed.Kind, failed.NodeMessage, retry.At, CancellationToken.None)
                        .ConfigureAwait(false);
                    if (scheduled is not TransitionResult.Applied { Withdrawal: var waiting })
                        return Step.Again.Instance;
                    _metrics.Retry(failed.Kind.Code());
                    LogRetry(_logger, w.Id, failed.Kind.Code(), retry.At);
                    return new Step.Done(waiting);
                }
                return await RefundAsync(w, failed.Kind, failed.NodeMessage, seenAt, ct).ConfigureAwait(false);
            }
            case PaymentOutcome.Unknown unknown:
            {
                if (w.State == WithdrawalState.Sending)
                {
                    var moved = await _store.MarkInFlightAsync(w.Id, unknown.Reason, CancellationToken.None).ConfigureAwait(false);
                    if (moved is not TransitionResult.Applied)
                        return Step.Again.Instance;
                    LogInFlight(_logger, w.Id, unknown.Reason);
                }
                return Step.Wait.Instance;
            }
            default:
                throw new InvalidOperationException("Unexpected payment outcome " + outcome.GetType().Name);
        }
    }

    private async Task<Step> RefundAsync(Withdrawal w, FailureKind kind, string message, long seenAt, CancellationToken ct)
    {
        _ = ct; // the refund commits even while shutting down: the node's answer is final
        var result = await _store.FailAsync(w.Id, kind, message, CancellationToken.None).ConfigureAwait(false);
        if (result is not TransitionResult.Applied { Withdrawal: var refunded })
            return Step.Again.Instance;
        _metrics.Refunded(kind.Code(), Stopwatch.GetElapsedTime(seenAt));
        LogRefunded(_logger, w.Id, kind.Code(), message);
        return new Step.Done(refunded);
    }

    private async Task<Withdrawal> CurrentAsync(string id) =>
        await _store.GetWithdrawalAsync(id, CancellationToken.None).ConfigureAwait(false)
        ?? throw new InvalidOperationException($"Withdrawal {id} disappeared.");

    /// <summary>The withdrawal's strategy, looked up only when an attempt failed and a drive did not know it yet.</summary>
    private async Task<IPaymentStrategy> StrategyOfAsync(string id) =>
        _strategies.For((await _store.GetPaymentPlanAsync(id, CancellationToken.None).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Withdrawal {id} disappeared.")).Policy);

    /// <param name="Strategy">Null until needed (a first attempt paid straight from admission): looked up on a failure.</param>
    private sealed record Attempt(Withdrawal Withdrawal, Invoice Invoice, IPaymentStrategy? Strategy);

    /// <summary>What the engine needs from the withdrawal's invoice (verified when the callback reserved it).</summary>
    private sealed record Invoice(Bytes32 Hash, string PayeeHex, DateTimeOffset ExpiresAt)
    {
        public static Invoice Of(Withdrawal w) => Bolt11Decoder.Decode(w.Bolt11) is Bolt11DecodeResult.Ok { Invoice: var i }
            ? new Invoice(Bytes32.ParseHex(w.PaymentHashHex), i.PayeeHex, i.ExpiresAt)
            // Not a decodable invoice (cannot come from the callback): pay by the stored hash, no retries past the deadline.
            : new Invoice(Bytes32.ParseHex(w.PaymentHashHex), "", w.Deadline);
    }

    private abstract record Step
    {
        public sealed record Done(Withdrawal Withdrawal) : Step;

        /// <summary>Read the row again and take the next step now (a transition raced, or a state changed).</summary>
        public sealed record Again : Step
        {
            public static Again Instance { get; } = new();
        }

        /// <summary>The outcome is not known yet: wait (backing off) and ask the node again.</summary>
        public sealed record Wait : Step
        {
            public static Wait Instance { get; } = new();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Paying withdrawal {WithdrawalId} threw; its outcome is unknown and it stays reserved.")]
    private static partial void LogPayThrew(ILogger logger, Exception e, string withdrawalId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Withdrawal {WithdrawalId} settled, fee {FeeMsat} msat.")]
    private static partial void LogSettled(ILogger logger, string withdrawalId, long feeMsat);

    [LoggerMessage(Level = LogLevel.Information, Message = "Withdrawal {WithdrawalId} failed with {Code} and was refunded: {NodeMessage}")]
    private static partial void LogRefunded(ILogger logger, string withdrawalId, string code, string nodeMessage);

    [LoggerMessage(Level = LogLevel.Information, Message = "Withdrawal {WithdrawalId} failed with {Code}; next attempt at {At:O}.")]
    private static partial void LogRetry(ILogger logger, string withdrawalId, string code, DateTimeOffset at);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Withdrawal {WithdrawalId} is in flight with an unknown outcome; funds stay reserved while it is tracked: {Reason}")]
    private static partial void LogInFlight(ILogger logger, string withdrawalId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Driving withdrawal {WithdrawalId} failed; it stays as it is for the reconciler.")]
    private static partial void LogDriveFailed(ILogger logger, Exception e, string withdrawalId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following a payment on the node's stream failed; polling instead.")]
    private static partial void LogFollowFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the leases of the withdrawals this instance drives failed; the next renewal tries again.")]
    private static partial void LogRenewFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Error, Message = "A payment drive failed while stopping.")]
    private static partial void LogStopFailed(ILogger logger, Exception e);
}
