using System.Collections.Concurrent;

namespace BoltGate.Server.Web;

/// <summary>
/// At most <c>permits</c> per key in each fixed window of the injected clock (sign-in attempts per
/// address, balance checks per address and per card). In memory: each instance counts its own callers.
/// </summary>
public sealed class WindowLimiter(int permits, TimeSpan window, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (long Window, int Count)> _counts = new();

    /// <summary>Takes one permit for <paramref name="key"/>; false when its window is used up.</summary>
    public bool TryTake(string key)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds() / (long)window.TotalMilliseconds;
        if (_counts.Count > 10_000)
        {
            foreach (var (k, v) in _counts)
            {
                if (v.Window != now)
                    _counts.TryRemove(k, out _);
            }
        }
        var taken = _counts.AddOrUpdate(key, _ => (now, 1), (_, v) => v.Window == now ? (now, v.Count + 1) : (now, 1));
        return taken.Count <= permits;
    }
}

/// <summary>The console's limiters, one singleton each.</summary>
public sealed class ConsoleLimits(TimeProvider time, IConfiguration configuration)
{
    /// <summary>Sign-in attempts per client address (<c>Console:SignInsPerMinute</c>, default 10).</summary>
    public WindowLimiter SignIn { get; } = new(configuration.GetValue("Console:SignInsPerMinute", 10), TimeSpan.FromMinutes(1), time);

    /// <summary>Holder balance checks per client address.</summary>
    public WindowLimiter BalanceByAddress { get; } = new(10, TimeSpan.FromMinutes(1), time);

    /// <summary>Holder balance checks per card.</summary>
    public WindowLimiter BalanceByCard { get; } = new(5, TimeSpan.FromMinutes(1), time);
}
