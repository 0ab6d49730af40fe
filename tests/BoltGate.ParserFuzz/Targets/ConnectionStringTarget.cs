using BoltGate.Lightning;
using static BoltGate.ParserFuzz.FuzzTargets;

namespace BoltGate.ParserFuzz;

/// <summary>
/// Lightning connection strings in BTCPay's format. <see cref="LightningConnectionString.TryParse"/>
/// returns false with an error (never throws); <see cref="LightningConnectionString.Parse"/> throws
/// <see cref="FormatException"/> only. Neither the error nor ToString may show an inline macaroon, and
/// a parsed Core Lightning or simulated string parses back from its ToString.
/// </summary>
internal static class ConnectionStringTarget
{
    public static FuzzTarget Target { get; } = new("connection-string",
        "LightningConnectionString.TryParse/Parse/ToString (lnd-rest, clightning, simulated)", Check);

    private static void Check(byte[] input)
    {
        var text = FuzzTarget.Text(input);
        var ok = LightningConnectionString.TryParse(text, out var parsed, out var error);
        try
        {
            var thrown = LightningConnectionString.Parse(text);
            Require(ok && thrown.GetType() == parsed!.GetType() && thrown.ToString() == parsed.ToString(), "Parse and TryParse agree");
        }
        catch (FormatException ex)
        {
            Require(!ok && ex.Message == error, "Parse throws exactly when TryParse fails, with its error");
        }

        var secret = InlineMacaroon(text);
        if (!ok)
        {
            Require(parsed is null && error.Length > 0, "a refusal has an error and no result");
            Require(secret is null || !error.Contains(secret, StringComparison.OrdinalIgnoreCase), "the error never shows the macaroon");
            return;
        }

        var shown = parsed!.ToString();
        Require(secret is null || !shown.Contains(secret, StringComparison.OrdinalIgnoreCase), "ToString never shows the macaroon");
        switch (parsed)
        {
            case LightningConnectionString.CoreLightning:
            case LightningConnectionString.Simulated s when WholeMilliseconds(s.Delay) && (s.HoldFor is null || WholeMilliseconds(s.HoldFor.Value)):
                Require(LightningConnectionString.TryParse(shown, out var again, out _) && again == parsed, $"'{shown}' parses back to the same");
                break;
        }
    }

    private static bool WholeMilliseconds(TimeSpan t) => t.Ticks % TimeSpan.TicksPerMillisecond == 0;

    /// <summary>The value of a <c>macaroon=</c> part when it looks like a real one (16+ hex characters, digits among them).</summary>
    private static string? InlineMacaroon(string text)
    {
        foreach (var part in text.Split(';'))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0 || !part[..eq].Trim().Equals("macaroon", StringComparison.OrdinalIgnoreCase))
                continue;
            var value = part[(eq + 1)..].Trim();
            if (value.Length >= 16 && value.All(char.IsAsciiHexDigit) && value.Any(char.IsAsciiDigit))
                return value;
        }
        return null;
    }
}
