using System.Globalization;
using System.Net;
using System.Text;
using BoltGate.Storage.Operators;

namespace BoltGate.Server.Web;

/// <summary>
/// The overview's chart, drawn on the server as SVG (presentation attributes only, so the CSP needs no
/// inline style): per hour, taps as a bar and paid / refunded withdrawals as two bars beside it.
/// </summary>
public static class ActivityChart
{
    public static string Svg(IReadOnlyList<ActivityHour> hours, DateTimeOffset from, int hourCount)
    {
        const int width = 720, height = 220, left = 40, bottom = 24, top = 10;
        var byHour = hours.ToDictionary(h => h.Hour);
        var max = Math.Max(1, hours.Select(h => Math.Max(h.Taps, Math.Max(h.Succeeded, h.Failed))).DefaultIfEmpty(0).Max());
        var slot = (width - left) / (double)hourCount;
        var plot = height - bottom - top;
        var inv = CultureInfo.InvariantCulture;
        var taps = hours.Sum(h => h.Taps);
        var ok = hours.Sum(h => h.Succeeded);
        var bad = hours.Sum(h => h.Failed);
        var sb = new StringBuilder();
        sb.Append(inv, $"<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"chart-title\" xmlns=\"http://www.w3.org/2000/svg\">");
        sb.Append(inv, $"<title id=\"chart-title\">Last {hourCount} hours: {taps:N0} taps, {ok:N0} payments paid, {bad:N0} refunded</title>");
        sb.Append(inv, $"<line x1=\"{left}\" y1=\"{top + plot}\" x2=\"{width}\" y2=\"{top + plot}\" stroke=\"#767676\"/>");
        sb.Append(inv, $"<text x=\"{left - 6}\" y=\"{top + 10}\" text-anchor=\"end\" font-size=\"11\" fill=\"#1a1a1a\">{max:N0}</text>");
        sb.Append(inv, $"<text x=\"{left - 6}\" y=\"{top + plot}\" text-anchor=\"end\" font-size=\"11\" fill=\"#1a1a1a\">0</text>");
        for (var i = 0; i < hourCount; i++)
        {
            var hour = from.AddHours(i);
            var h = byHour.GetValueOrDefault(hour) ?? new ActivityHour(hour, 0, 0, 0);
            var x = left + i * slot;
            var bar = slot / 4;
            Bar(sb, x + bar * 0.5, bar, h.Taps, max, plot, top, "#0b57d0", $"{hour:HH}:00 UTC: {h.Taps} taps");
            Bar(sb, x + bar * 1.5, bar, h.Succeeded, max, plot, top, "#146c2e", $"{hour:HH}:00 UTC: {h.Succeeded} paid");
            Bar(sb, x + bar * 2.5, bar, h.Failed, max, plot, top, "#c5221f", $"{hour:HH}:00 UTC: {h.Failed} refunded");
            if (i % 4 == 0)
                sb.Append(inv, $"<text x=\"{x + slot / 2:0.#}\" y=\"{height - 6}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1a1a1a\">{hour:HH}:00</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static void Bar(StringBuilder sb, double x, double w, long value, long max, int plot, int top, string fill, string label)
    {
        if (value == 0)
            return;
        var h = Math.Max(1, value * plot / (double)max);
        sb.Append(CultureInfo.InvariantCulture,
            $"<rect x=\"{x:0.##}\" y=\"{top + plot - h:0.##}\" width=\"{w:0.##}\" height=\"{h:0.##}\" fill=\"{fill}\"><title>{WebUtility.HtmlEncode(label)}</title></rect>");
    }
}
