namespace BoltGate.Storage.Engines;

/// <summary>
/// At most <c>capacity</c> writers at a time, waited for without holding a thread, and with two
/// queues: transactions that end a reservation (a refund, a settlement) go before new work.
/// SQLite has a single writer anyway (capacity 1); its own busy handler would make waiting writers
/// sleep on pool threads (starving every other request) and serve them in no particular order, so a
/// refund could wait behind a burst of new reservations. On PostgreSQL the gate keeps one instance
/// from flooding the server with more concurrent writers than it has cores to run, with the same
/// priority. Cancelled waiters are skipped.
/// </summary>
internal sealed class WriterGate(int capacity = 1)
{
    private readonly object _lock = new();
    private readonly Queue<TaskCompletionSource> _urgent = new();
    private readonly Queue<TaskCompletionSource> _normal = new();
    private int _held;

    public async ValueTask<IAsyncDisposable> EnterAsync(bool urgent, CancellationToken ct)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_held < capacity)
            {
                _held++;
                return new Pass(this);
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (urgent ? _urgent : _normal).Enqueue(waiter);
        }
        await using (ct.Register(() => waiter.TrySetCanceled(ct)).ConfigureAwait(false))
        {
            // Either the gate was handed to us (result set) or we were cancelled (and never own it).
            await waiter.Task.ConfigureAwait(false);
        }
        return new Pass(this);
    }

    private void Release()
    {
        lock (_lock)
        {
            while (_urgent.TryDequeue(out var next) || _normal.TryDequeue(out next))
            {
                if (next.TrySetResult())
                    return; // handed over: the place stays held, by the next writer
            }
            _held--;
        }
    }

    private sealed class Pass(WriterGate gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                gate.Release();
            return ValueTask.CompletedTask;
        }
    }
}
