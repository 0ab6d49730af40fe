using System.Collections.Concurrent;
using System.Text;

namespace BoltGate.Testing.Fuzzing;

/// <summary>What a fuzz run sent and what broke the rules: any 5xx, an LNURL refusal not in the ERROR form, an admin refusal without a body.</summary>
public sealed class FuzzReport
{
    private long _requests;
    private long _lnurlErrors;

    public ConcurrentDictionary<int, long> Statuses { get; } = new();

    public ConcurrentDictionary<string, long> PerRoute { get; } = new();

    public ConcurrentQueue<string> Violations { get; } = new();

    public long Requests => Interlocked.Read(ref _requests);

    public long LnurlErrors => Interlocked.Read(ref _lnurlErrors);

    public long ServerErrors => Statuses.Where(s => s.Key >= 500).Sum(s => s.Value);

    internal void Count(FuzzRoute route, int status)
    {
        Interlocked.Increment(ref _requests);
        Statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
        PerRoute.AddOrUpdate(route.Method + " " + route.Template, 1, (_, n) => n + 1);
    }

    internal void LnurlError() => Interlocked.Increment(ref _lnurlErrors);

    internal void Violation(string what)
    {
        if (Violations.Count < 200)
            Violations.Enqueue(what);
    }

    public string Summary()
    {
        var text = new StringBuilder();
        text.AppendLine($"requests: {Requests}, 5xx: {ServerErrors}, LNURL ERROR answers: {LnurlErrors}, violations: {Violations.Count}");
        text.AppendLine("statuses: " + string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        foreach (var (route, n) in PerRoute.OrderBy(r => r.Key, StringComparer.Ordinal))
            text.AppendLine($"  {route}: {n}");
        foreach (var v in Violations.Take(20))
            text.AppendLine("  ! " + v);
        return text.ToString();
    }
}
