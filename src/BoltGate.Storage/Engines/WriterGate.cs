namespace BoltGate.Storage.Engines;

/// <summary>
/// One writer at a time, waited for without holding a thread, and with two queues: transactions that
/// end a reservation (a refund, a settlement) go before new work. SQLite has a single writer anyway;
/// its own busy handler would make waiting writers sleep on pool threads (starving every other
/// request) and serve them in no particular order, so a refund could wait behind a burst of new
/// reservations. Cancelled waiters are skipped.
/// </summary>
internal sealed class WriterGate
{
    private readonly object _lock = new();
    private readonly Queue<TaskCompletionSource> _urgent = new();
    private readonly Queue<TaskCompletionSource> _normal = new();
    private bool _held;

    public async ValueTask<IAsyncDisposable> EnterAsync(bool urgent, CancellationToken ct)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (!_held)
            {
                _held = true;
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
                    return; // handed over: the gate stays held by the next writer
            }
            _held = false;
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
