using BoltGate.Storage;
using BoltGate.Storage.Withdrawals;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BoltGate.Payments;

/// <summary>
/// Finds the withdrawals no one is driving — left by a crash or a restart, or due for a retry — and
/// hands each to the engine, which asks the node by payment hash before anything else:
/// never sent and before its deadline → send; never sent and past it → refund; in flight → track;
/// final at the node → settle or refund; node unreachable → ask again later. Rows are claimed with a
/// lease (and <c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL), so instances sharing a database never
/// drive the same withdrawal at once.
/// </summary>
public sealed partial class Reconciler(PaymentEngine engine, BoltGateStore store, TimeProvider time, ILogger<Reconciler>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<Reconciler>.Instance;

    /// <summary>One pass: claims what is due and starts a drive for each. The drives go on after it returns.</summary>
    public async Task<ReconcilePass> RunOnceAsync(CancellationToken ct = default)
    {
        var options = engine.Options;
        var claimed = await store.ClaimDueAsync(engine.Owner, options.LeaseFor, options.ReconcileBatch, options.FreshFor, ct)
            .ConfigureAwait(false);
        var drives = claimed.Select(w => engine.ResumeClaimed(w.Id)).ToList();
        if (claimed.Count > 0)
            LogClaimed(_logger, claimed.Count);
        return new ReconcilePass(claimed, drives);
    }

    /// <summary>Runs a pass at once (start-up recovery) and then every <see cref="PaymentEngineOptions.ReconcileInterval"/>.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        // Leases under our name can only be our previous run's (the instance name is unique per instance).
        try
        {
            var freed = await store.ReleaseLeasesOfAsync(engine.Owner, ct).ConfigureAwait(false);
            if (freed > 0)
                LogTakenBack(_logger, freed);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogPassFailed(_logger, e); // the leases lapse on their own; recovery is only slower
        }
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                LogPassFailed(_logger, e);
            }
            try
            {
                await Task.Delay(engine.Options.ReconcileInterval, time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciler claimed {Count} unfinished withdrawal(s).")]
    private static partial void LogClaimed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Took back {Count} withdrawal(s) this instance held before it restarted.")]
    private static partial void LogTakenBack(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A reconciler pass failed; the next pass tries again.")]
    private static partial void LogPassFailed(ILogger logger, Exception e);
}

/// <summary>What one reconciler pass claimed, and the drives it started (each ends with the withdrawal as it then stands).</summary>
public sealed record ReconcilePass(IReadOnlyList<Withdrawal> Claimed, IReadOnlyList<Task<Withdrawal>> Drives);
