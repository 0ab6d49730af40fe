using System.Text.Json;

namespace BoltGate.Core.Tests.Sun;

/// <summary>The shared <c>sun-taps.json</c> file, typed.</summary>
public static class SunVectors
{
    public sealed record Valid(
        string Name, string K1, string K2, string P, string C, string Uid, uint Counter,
        string PiccDataPlain, string Sv2, string SessionMacKey, string FullCmac)
    {
        public override string ToString() => Name;
    }

    public sealed record Invalid(string Name, int Base, string P, string C)
    {
        public override string ToString() => Name;
    }

    public static IReadOnlyList<Valid> ValidTaps { get; } = Load().Valid;

    public static IReadOnlyList<Invalid> InvalidTaps { get; } = Load().Invalid;

    private static (List<Valid> Valid, List<Invalid> Invalid) Load()
    {
        using var doc = JsonDocument.Parse(SharedFiles.ReadVector("sun-taps.json"));
        var valid = doc.RootElement.GetProperty("valid").EnumerateArray().Select(v => new Valid(
            S(v, "name"), S(v, "k1"), S(v, "k2"), S(v, "p"), S(v, "c"), S(v, "uid"),
            v.GetProperty("counter").GetUInt32(), S(v, "picc_data_plain"), S(v, "sv2"),
            S(v, "session_mac_key"), S(v, "full_cmac"))).ToList();
        var invalid = doc.RootElement.GetProperty("invalid").EnumerateArray().Select(v => new Invalid(
            S(v, "name"), v.GetProperty("base").GetInt32(), S(v, "p"), S(v, "c"))).ToList();
        Assert.Equal(4, valid.Count);
        Assert.Equal(4, invalid.Count);
        return (valid, invalid);
    }

    private static string S(JsonElement e, string name) => e.GetProperty(name).GetString()!;
}
