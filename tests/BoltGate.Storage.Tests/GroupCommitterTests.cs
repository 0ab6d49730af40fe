using System.Collections.Concurrent;
using BoltGate.Storage.Engines;
using BoltGate.Testing.Databases;

namespace BoltGate.Storage.Tests;

/// <summary>The group-commit queue itself: who goes first, and what a cancelled caller leaves behind.</summary>
[Trait("Category", "Contract")]
public sealed class GroupCommitterTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private SqliteEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        _engine = new SqliteEngine(_database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact(Timeout = 10_000)]
    public async Task Refunds_and_settlements_run_before_queued_new_work()
    {
        var writes = new GroupCommitter(_engine, connections: 1);
        var order = new ConcurrentQueue<string>();
        var holding = new TaskCompletionSource();
        var held = new TaskCompletionSource();
        var first = writes.SubmitAsync<int>(async (_, _) =>
        {
            held.SetResult();
            await holding.Task;
            order.Enqueue("first");
            return (0, true);
        }, urgent: false, CancellationToken.None);
        await held.Task; // the only writer is busy: what follows queues

        Task<int> Queue(string name, bool urgent) => writes.SubmitAsync<int>((_, _) =>
        {
            order.Enqueue(name);
            return Task.FromResult((0, true));
        }, urgent, CancellationToken.None);
        var waiting = new[] { Queue("new-1", false), Queue("new-2", false), Queue("refund", true), Queue("new-3", false), Queue("settle", true) };
        holding.SetResult();
        await Task.WhenAll(waiting.Append(first));

        Assert.Equal(["first", "refund", "settle", "new-1", "new-2", "new-3"], order.ToArray());
        Assert.Equal(2, writes.Commits); // the held one alone, then the five queued behind it in one transaction
        Assert.Equal(6, writes.CommittedIntents);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_cancelled_caller_never_runs_and_the_others_do()
    {
        var writes = new GroupCommitter(_engine, connections: 1);
        var holding = new TaskCompletionSource();
        var held = new TaskCompletionSource();
        var first = writes.SubmitAsync<int>(async (_, _) =>
        {
            held.SetResult();
            await holding.Task;
            return (1, true);
        }, urgent: false, CancellationToken.None);
        await held.Task;

        using var cancel = new CancellationTokenSource();
        var ran = false;
        var cancelled = writes.SubmitAsync<int>((_, _) =>
        {
            ran = true;
            return Task.FromResult((2, true));
        }, urgent: false, cancel.Token);
        var next = writes.SubmitAsync<int>((_, _) => Task.FromResult((3, true)), urgent: false, CancellationToken.None);
        await cancel.CancelAsync();
        holding.SetResult();

        Assert.Equal(1, await first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(3, await next);
        Assert.False(ran);
    }
}
