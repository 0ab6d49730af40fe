using System.Text;

namespace BoltGate.ParserFuzz;

/// <summary>
/// One parser under fuzz. <see cref="Check"/> feeds it the input and applies the rule: the parser
/// returns a value or its documented failure; anything else escapes as an exception, and an
/// escaping exception is what SharpFuzz reports to AFL as a crash (and the corpus replay test fails on).
/// </summary>
/// <param name="Name">The command-line argument, and the folder under <c>corpus/</c>.</param>
/// <param name="Covers">What it calls, for the listing and RESULTS.md.</param>
public sealed record FuzzTarget(string Name, string Covers, Action<byte[]> Check)
{
    /// <summary>The input as text, as an HTTP stack would hand it over (invalid UTF-8 becomes U+FFFD).</summary>
    internal static string Text(byte[] input) => Encoding.UTF8.GetString(input);
}

/// <summary>A property the parser broke (a round trip, an invariant of its result): always a finding.</summary>
public sealed class RuleViolation(string message) : Exception(message);

/// <summary>Every target, in the order the script runs them.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        Bolt11Target.Decode,
        Bolt11Target.EncodeRoundTrip,
        LnurlTarget.Target,
        SunTapTarget.Target,
        ConnectionStringTarget.Target,
        LndJsonTarget.Target,
        ClnJsonTarget.Target,
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    internal static void Require(bool condition, string what)
    {
        if (!condition)
            throw new RuleViolation(what);
    }

    internal static T Expect<T>(object? value, string what) where T : class =>
        value as T ?? throw new RuleViolation($"{what}: got {value}");
}
