using System.Globalization;
using System.Text.RegularExpressions;

namespace BoltGate.Bench;

/// <summary>
/// The gateway's own measure of fast-fail, from <c>/metrics</c>: the histogram of "node's definitive failure ->
/// refund committed" (boltgate_payment_refund_commit_milliseconds). Read before and after a run, the difference
/// is that run's refunds; its p99 is the upper bound of the bucket the 99th refund falls in.
/// </summary>
internal static partial class RefundHistogram
{
    public static async Task<SortedDictionary<double, double>> ReadAsync(HttpClient http)
    {
        var text = await http.GetStringAsync("/metrics").ConfigureAwait(false);
        var buckets = new SortedDictionary<double, double>();
        foreach (Match m in Bucket().Matches(text))
        {
            var le = m.Groups[1].Value == "+Inf" ? double.PositiveInfinity : double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            buckets[le] = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }
        return buckets;
    }

    /// <summary>The bucket bound under which 99 % of the refunds between the two readings fell (NaN: none).</summary>
    public static double P99Bound(SortedDictionary<double, double> before, SortedDictionary<double, double> after)
    {
        var total = after.TryGetValue(double.PositiveInfinity, out var all) ? all - before.GetValueOrDefault(double.PositiveInfinity) : 0;
        if (total <= 0)
            return double.NaN;
        foreach (var (le, count) in after)
        {
            if (count - before.GetValueOrDefault(le) >= 0.99 * total)
                return le;
        }
        return double.PositiveInfinity;
    }

    [GeneratedRegex("""boltgate_payment_refund_commit_milliseconds_bucket\{le="([^"]+)"\} ([0-9.e+]+)""")]
    private static partial Regex Bucket();
}
