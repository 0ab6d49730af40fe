using System.Text.Json.Nodes;

namespace BoltGate.Lightning.Tests.Replays;

/// <summary>A recorded upstream request/response with where it came from (repo, path, commit, version).</summary>
internal sealed record Replay(string Name, string Method, JsonObject Source, JsonNode? Request, JsonNode Response, JsonObject Raw)
{
    /// <summary>The recorded HTTP status (lnd REST replays).</summary>
    public int Status => Raw["status"]?.GetValue<int>() ?? 200;

    public override string ToString() => $"{Name} ({Source["repo"]}/{Source["path"]} @ {Source["version"]})";
}

internal static class ReplayFile
{
    public static IReadOnlyList<Replay> Load(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Replays", fileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Replay file {fileName} is missing (it is copied to the output from tests/BoltGate.Lightning.Tests/Replays).", path);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        var replays = root["replays"]!.AsArray().Select(r => new Replay(
            r!["name"]!.GetValue<string>(), r["method"]!.GetValue<string>(), r["source"]!.AsObject(), r["request"], r["response"]!, r.AsObject())).ToList();
        foreach (var r in replays)
        {
            foreach (var key in new[] { "repo", "path", "commit", "version" })
            {
                if (string.IsNullOrEmpty(r.Source[key]?.GetValue<string>()))
                    throw new InvalidDataException($"{fileName}: '{r.Name}' has no source {key}.");
            }
        }
        return replays;
    }

    public static Replay One(this IReadOnlyList<Replay> replays, string name) =>
        replays.SingleOrDefault(r => r.Name == name) ?? throw new InvalidDataException($"No replay named '{name}'.");
}
