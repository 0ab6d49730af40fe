using System.Data.Common;

namespace BoltGate.Storage.Engines;

/// <summary>
/// Group commit: write intents from many flows are queued, and each of up to <c>connections</c> writer loops
/// takes what has queued (up to <c>maxBatch</c>, default 16, intents that end a reservation — refunds, settlements — first)
/// and runs it in one transaction. Each intent still decides on its own: it runs inside its own savepoint,
/// which is released when it commits and rolled back when it refuses or throws, so one refusal or failing
/// statement never undoes another. Callers are answered only after the group's COMMIT returned, so an answer
/// means the change is as durable as the engine makes a commit. A deadlock between groups (PostgreSQL, several
/// loops or instances) rolls back only that intent, which runs again in the next group.
/// </summary>
internal sealed class GroupCommitter(SqlEngine engine, int connections, int maxBatch = GroupCommitter.DefaultMaxBatch)
{
    /// <summary>
    /// The most intents one group takes. A refund queued behind a running group waits for all of it, so this
    /// bounds that wait (16 intents of a few statements each) while still sharing one commit among many flows.
    /// </summary>
    public const int DefaultMaxBatch = 16;

    private const int MaxRetries = 5;
    private readonly object _lock = new();
    private readonly LinkedList<Intent> _urgent = new();
    private readonly LinkedList<Intent> _normal = new();
    private int _loops;
    private long _commits;
    private long _committedIntents;

    /// <summary>Transactions committed so far (a group counts once): the tests see the grouping here.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Intents whose changes those transactions committed.</summary>
    public long CommittedIntents => Interlocked.Read(ref _committedIntents);

    public Task<T> SubmitAsync<T>(Func<DbConnection, DbTransaction, Task<(T Result, bool Commit)>> work, bool urgent, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var intent = new Intent<T>(work, urgent, ct);
        bool startLoop;
        lock (_lock)
        {
            (urgent ? _urgent : _normal).AddLast(intent);
            startLoop = _loops < connections;
            if (startLoop)
                _loops++;
        }
        if (startLoop)
            _ = Task.Run(LoopAsync, CancellationToken.None);
        return intent.Task;
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            List<Intent> batch;
            lock (_lock)
            {
                batch = TakeBatch();
                if (batch.Count == 0)
                {
                    _loops--;
                    return;
                }
            }
            await RunAsync(batch).ConfigureAwait(false);
        }
    }

    private List<Intent> TakeBatch()
    {
        var batch = new List<Intent>();
        foreach (var queue in new[] { _urgent, _normal })
        {
            while (batch.Count < maxBatch && queue.First is { } first)
            {
                queue.RemoveFirst();
                first.Value.Requeued = false;
                if (!first.Value.TryCancelIfRequested())
                    batch.Add(first.Value);
            }
        }
        return batch;
    }

    private async Task RunAsync(List<Intent> batch)
    {
        var answered = new List<Intent>(batch.Count);
        var committed = 0;
        try
        {
            await using var connection = await engine.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            await using var tx = await engine.BeginWriteAsync(connection, CancellationToken.None).ConfigureAwait(false);
            if (batch.Count == 1)
            {
                // Alone: the transaction is the intent's own; no savepoint needed.
                var only = batch[0];
                bool commit;
                try
                {
                    commit = await only.RunAsync(connection, tx).ConfigureAwait(false);
                }
                catch (Exception e) when (engine.IsRetryable(e) && only.Retries < MaxRetries)
                {
                    await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                    Requeue(only);
                    return;
                }
                if (commit)
                {
                    await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                    committed = 1;
                }
                else
                {
                    await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                }
                answered.Add(only);
            }
            else
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    var intent = batch[i];
                    if (intent.TryCancelIfRequested())
                        continue;
                    var savepoint = "intent" + i;
                    await tx.SaveAsync(savepoint, CancellationToken.None).ConfigureAwait(false);
                    bool commit;
                    try
                    {
                        commit = await intent.RunAsync(connection, tx).ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        await tx.RollbackAsync(savepoint, CancellationToken.None).ConfigureAwait(false);
                        if (engine.IsRetryable(e) && intent.Retries < MaxRetries)
                            Requeue(intent);
                        else
                            intent.Fail(e); // changed nothing: it may hear now
                        continue;
                    }
                    if (commit)
                    {
                        await tx.ReleaseAsync(savepoint, CancellationToken.None).ConfigureAwait(false);
                        committed++;
                    }
                    else
                    {
                        await tx.RollbackAsync(savepoint, CancellationToken.None).ConfigureAwait(false);
                    }
                    answered.Add(intent);
                }
                if (committed > 0)
                    await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                else
                    await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // The group broke (connection lost, commit failed): nothing of it is committed; every intent not yet
            // answered hears the error, including those that had said "commit".
            foreach (var intent in batch)
            {
                if (!intent.Requeued)
                    intent.Fail(e);
            }
            return;
        }
        if (committed > 0)
        {
            Interlocked.Increment(ref _commits);
            Interlocked.Add(ref _committedIntents, committed);
        }
        foreach (var intent in answered)
            intent.Answer();
    }

    private void Requeue(Intent intent)
    {
        intent.Retries++;
        intent.Requeued = true;
        lock (_lock)
            (intent.Urgent ? _urgent : _normal).AddFirst(intent);
        // This loop is still running (it goes on to take the next batch), so the intent is picked up.
    }

    private abstract class Intent(bool urgent, CancellationToken ct)
    {
        public bool Urgent { get; } = urgent;

        public int Retries { get; set; }

        /// <summary>Back in the queue after a deadlock: the group it left must not answer it.</summary>
        public bool Requeued { get; set; }

        protected CancellationToken Token { get; } = ct;

        public abstract Task<bool> RunAsync(DbConnection connection, DbTransaction tx);

        public abstract void Answer();

        public abstract void Fail(Exception e);

        public abstract bool TryCancelIfRequested();
    }

    private sealed class Intent<T>(Func<DbConnection, DbTransaction, Task<(T Result, bool Commit)>> work, bool urgent, CancellationToken ct)
        : Intent(urgent, ct)
    {
        private readonly TaskCompletionSource<T> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _answer.Task;

        public override async Task<bool> RunAsync(DbConnection connection, DbTransaction tx)
        {
            var (result, commit) = await work(connection, tx).ConfigureAwait(false);
            _result = result;
            return commit;
        }

        public override void Answer() => _answer.TrySetResult(_result);

        public override void Fail(Exception e)
        {
            if (e is OperationCanceledException && Token.IsCancellationRequested)
                _answer.TrySetCanceled(Token);
            else
                _answer.TrySetException(e);
        }

        public override bool TryCancelIfRequested()
        {
            if (!Token.IsCancellationRequested)
                return false;
            _answer.TrySetCanceled(Token);
            return true;
        }
    }
}
