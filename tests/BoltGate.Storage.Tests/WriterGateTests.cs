using BoltGate.Storage.Engines;

namespace BoltGate.Storage.Tests;

[Trait(Category.Name, Category.Unit)]
public class WriterGateTests
{
    [Fact(Timeout = 10_000)]
    public async Task Refunds_and_settlements_enter_before_queued_new_work_and_one_writer_at_a_time()
    {
        var gate = new WriterGate();
        var first = await gate.EnterAsync(urgent: false, CancellationToken.None);
        var order = new List<string>();
        var inside = 0;
        var maxInside = 0;

        async Task Writer(string name, bool urgent)
        {
            await using var pass = await gate.EnterAsync(urgent, CancellationToken.None);
            var now = Interlocked.Increment(ref inside);
            lock (order)
            {
                order.Add(name);
                maxInside = Math.Max(maxInside, now);
            }
            await Task.Yield();
            Interlocked.Decrement(ref inside);
        }

        var reserveA = Writer("reserve A", urgent: false);
        var reserveB = Writer("reserve B", urgent: false);
        var refund = Writer("refund", urgent: true);
        Assert.Empty(order); // all three wait while the gate is held

        await first.DisposeAsync();
        await Task.WhenAll(reserveA, reserveB, refund);

        Assert.Equal(["refund", "reserve A", "reserve B"], order);
        Assert.Equal(1, maxInside);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_cancelled_waiter_never_owns_the_gate_and_the_next_one_gets_it()
    {
        var gate = new WriterGate();
        var first = await gate.EnterAsync(urgent: false, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var cancelled = gate.EnterAsync(urgent: true, cts.Token).AsTask();
        var next = gate.EnterAsync(urgent: false, CancellationToken.None).AsTask();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await first.DisposeAsync();

        await using var pass = await next;
        // The gate is held by `next`: a newcomer waits until it is released.
        var later = gate.EnterAsync(urgent: true, CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(later.IsCompleted);
        await pass.DisposeAsync();
        await using var _ = await later;
    }

    [Fact(Timeout = 10_000)]
    public async Task A_wider_gate_admits_that_many_writers_and_queues_the_rest()
    {
        var gate = new WriterGate(capacity: 2);
        var a = await gate.EnterAsync(urgent: false, CancellationToken.None);
        var b = await gate.EnterAsync(urgent: false, CancellationToken.None);
        var third = gate.EnterAsync(urgent: false, CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(third.IsCompleted);

        await a.DisposeAsync();
        await using var c = await third;
        await b.DisposeAsync();
        // One place is free again (c holds the other): a newcomer enters at once.
        var fourth = gate.EnterAsync(urgent: false, CancellationToken.None);
        Assert.True(fourth.IsCompleted);
        await (await fourth).DisposeAsync();
    }
}
