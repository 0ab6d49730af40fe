using System.Net;
using System.Threading.RateLimiting;

namespace BoltGate.Server.Hardening;

/// <summary>
/// Counts failures (bad taps, wrong PINs, unknown API keys) per address and per card in fixed windows
/// (System.Threading.RateLimiting, what ASP.NET Core's rate limiter is built on). A key whose failures
/// reached its limit is blocked until its window ends: its requests then get RATE_LIMITED with
/// <c>Retry-After</c>, whether they would have succeeded or not, so guessing learns nothing.
/// </summary>
public sealed class FailureLimiter : IDisposable
{
    private readonly RateLimitOptions _options;
    private readonly PartitionedRateLimiter<(LimitedFailure Kind, string Key)> _limiter;

    public FailureLimiter(RateLimitOptions options)
    {
        _options = options;
        _limiter = PartitionedRateLimiter.Create<(LimitedFailure Kind, string Key), (LimitedFailure, string)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, LimitOf(k.Item1)),
                Window = options.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Null when <paramref name="key"/> may go on; else how long it must wait.</summary>
    public TimeSpan? Blocked(LimitedFailure kind, string key)
    {
        if (!_options.Enabled)
            return null;
        using var lease = _limiter.AttemptAcquire((kind, key), 0);
        return lease.IsAcquired ? null : RetryAfter(lease);
    }

    /// <summary>Counts one failure of <paramref name="key"/>.</summary>
    public void Failed(LimitedFailure kind, string key)
    {
        if (!_options.Enabled)
            return;
        using var lease = _limiter.AttemptAcquire((kind, key), 1);
    }

    /// <summary>The client's address as the server saw it (behind a proxy: configure forwarded headers).</summary>
    public static string Address(HttpContext http) => http.Connection.RemoteIpAddress is { } ip
        ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString()
        : IPAddress.None.ToString();

    public void Dispose() => _limiter.Dispose();

    internal TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : _options.Window;

    private int LimitOf(LimitedFailure kind) => kind switch
    {
        LimitedFailure.TapByAddress => _options.FailedTapsPerAddress,
        LimitedFailure.TapByCard => _options.FailedTapsPerCard,
        LimitedFailure.CallbackByAddress => _options.FailedCallbacksPerAddress,
        LimitedFailure.PinByAddress => _options.PinFailuresPerAddress,
        LimitedFailure.PinByCard => _options.PinFailuresPerCard,
        LimitedFailure.AuthByAddress => _options.AuthFailuresPerAddress,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>What a <see cref="FailureLimiter"/> count is of, and per what.</summary>
public enum LimitedFailure
{
    TapByAddress,
    TapByCard,
    CallbackByAddress,
    PinByAddress,
    PinByCard,
    AuthByAddress,
}
