using System.Collections.Concurrent;

namespace BoltGate.Payments;

/// <summary>
/// Remembers payees whose payments recently failed definitively with <see cref="FailureKind.NoRoute"/>.
/// A new payment to such a payee first asks the node for a route and, if there is still none, is
/// refused in milliseconds with nothing reserved. Entries fade after <see cref="Ttl"/>, and the
/// memory holds at most <see cref="Capacity"/> payees (the oldest go first).
/// </summary>
public sealed class RouteMemory
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _noRouteSince = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time;

    public RouteMemory(TimeProvider time, TimeSpan? ttl = null, int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        Ttl = ttl ?? TimeSpan.FromMinutes(10);
        Capacity = capacity;
    }

    public TimeSpan Ttl { get; }

    public int Capacity { get; }

    public int Count => _noRouteSince.Count;

    /// <summary>Records a definitive NO_ROUTE to <paramref name="payee"/> (hex node id).</summary>
    public void RememberNoRoute(string payee)
    {
        _noRouteSince[payee] = _time.GetUtcNow();
        if (_noRouteSince.Count > Capacity)
            Trim();
    }

    /// <summary>A payment to <paramref name="payee"/> succeeded or a probe found a route: forget it.</summary>
    public void Forget(string payee) => _noRouteSince.TryRemove(payee, out _);

    /// <summary>Whether a recent NO_ROUTE to <paramref name="payee"/> calls for a probe first.</summary>
    public bool ShouldProbe(string payee)
    {
        if (!_noRouteSince.TryGetValue(payee, out var since))
            return false;
        if (_time.GetUtcNow() - since < Ttl)
            return true;
        _noRouteSince.TryRemove(new KeyValuePair<string, DateTimeOffset>(payee, since));
        return false;
    }

    private void Trim()
    {
        var now = _time.GetUtcNow();
        foreach (var (payee, since) in _noRouteSince)
        {
            if (now - since >= Ttl)
                _noRouteSince.TryRemove(new KeyValuePair<string, DateTimeOffset>(payee, since));
        }
        var excess = _noRouteSince.Count - Capacity;
        if (excess <= 0)
            return;
        foreach (var (payee, since) in _noRouteSince.OrderBy(e => e.Value).Take(excess).ToList())
            _noRouteSince.TryRemove(new KeyValuePair<string, DateTimeOffset>(payee, since));
    }
}
