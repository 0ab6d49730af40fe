using System.Text.Json;

namespace BoltGate.Core.Tests.Bolt11;

/// <summary>Reads ../shared/vectors/bolt11.json (BOLT 11 spec examples plus eclair and derived extras).</summary>
internal static class Bolt11Vectors
{
    private static readonly Lazy<JsonDocument> Doc = new(() => JsonDocument.Parse(SharedFiles.ReadVector("bolt11.json")));

    public static JsonElement Root => Doc.Value.RootElement;

    public static string PrivateKeyHex => Root.GetProperty("constants").GetProperty("private_key").GetString()!;

    public static string NodeIdHex => Root.GetProperty("constants").GetProperty("node_id").GetString()!;

    public static IEnumerable<JsonElement> Valid => Root.GetProperty("valid").EnumerateArray().Concat(Root.GetProperty("extra_valid").EnumerateArray());

    public static IEnumerable<JsonElement> Invalid => Root.GetProperty("invalid").EnumerateArray().Concat(Root.GetProperty("extra_invalid").EnumerateArray());

    /// <summary>Valid vectors a strict reader accepts: all but the contested one.</summary>
    public static IEnumerable<JsonElement> Accepted => Valid.Where(v => !v.TryGetProperty("contested", out _));

    public static JsonElement ByName(string name) =>
        Valid.Concat(Invalid).Single(v => v.GetProperty("name").GetString() == name);

    public static TheoryData<string> Names(IEnumerable<JsonElement> vectors)
    {
        var data = new TheoryData<string>();
        foreach (var v in vectors)
            data.Add(v.GetProperty("name").GetString()!);
        return data;
    }
}
