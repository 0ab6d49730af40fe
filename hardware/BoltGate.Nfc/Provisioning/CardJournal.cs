using System.Text.Json;
using System.Text.Json.Serialization;

namespace BoltGate.Nfc.Provisioning;

/// <summary>
/// Write-ahead journal of key changes, one file per card UID in a private directory (0700, files
/// 0600, written to a temporary file then renamed). Every entry is written before the card is
/// touched and updated after each step, so a card pulled mid-burn can be finished or rolled back by
/// running burn or wipe again. When an operation completes, the entry with its keys is deleted and
/// only a key-free line is appended to <c>completed.log</c>.
/// </summary>
public sealed class CardJournal
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private readonly TimeProvider _time;

    public CardJournal(string directory, TimeProvider time)
    {
        Directory = directory;
        _time = time;
        System.IO.Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Directory { get; }

    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable("BOLTGATE_NFC_JOURNAL")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "boltgate-nfc", "journal");

    public JournalEntry? Find(string uid)
    {
        var path = PathFor(uid);
        if (!File.Exists(path))
            return null;
        return JsonSerializer.Deserialize<JournalEntry>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"Journal file {path} is empty.");
    }

    /// <summary>Unfinished entries (for cards whose UID is hidden by Random ID).</summary>
    public IReadOnlyList<JournalEntry> Pending() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.json")
            .Select(f => JsonSerializer.Deserialize<JournalEntry>(File.ReadAllText(f), Json))
            .OfType<JournalEntry>()
            .ToList();

    public JournalEntry Step(JournalEntry entry, string step)
    {
        var updated = entry with { Steps = [.. entry.Steps, $"{_time.GetUtcNow():O} {step}"] };
        Save(updated);
        return updated;
    }

    public void Save(JournalEntry entry)
    {
        var path = PathFor(entry.Uid);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, entry, Json);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    public void Complete(JournalEntry entry, string result)
    {
        File.AppendAllText(Path.Combine(Directory, "completed.log"),
            $"{_time.GetUtcNow():O} {entry.Uid} {entry.Operation} {result}{Environment.NewLine}");
        File.Delete(PathFor(entry.Uid));
    }

    /// <summary>UIDs of cards that finished an operation (the key-free completed.log), for resumable batches.</summary>
    public IReadOnlySet<string> Completed(string operation)
    {
        var path = Path.Combine(Directory, "completed.log");
        if (!File.Exists(path))
            return new HashSet<string>();
        return File.ReadLines(path)
            .Select(l => l.Split(' '))
            .Where(p => p.Length >= 3 && p[2] == operation)
            .Select(p => p[1])
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    private string PathFor(string uid)
    {
        if (uid.Length != 14 || !uid.All(Uri.IsHexDigit))
            throw new ArgumentException("A journal key is a 14-hex-digit UID.", nameof(uid));
        return Path.Combine(Directory, uid.ToLowerInvariant() + ".json");
    }
}

/// <summary>
/// One card's unfinished key transition: the key sets the card may hold now (<see cref="From"/>, most
/// likely first) and the one it must end with, plus what goes into the NDEF file.
/// </summary>
public sealed record JournalEntry
{
    public required string Uid { get; init; }

    /// <summary>"burn" or "wipe".</summary>
    public required string Operation { get; init; }

    public required List<List<string>> From { get; init; }

    public required List<string> Target { get; init; }

    public required byte TargetVersion { get; init; }

    /// <summary>The lnurlw base for a burn; null for a wipe.</summary>
    public string? LnurlwBase { get; init; }

    public bool RandomUid { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public List<string> Steps { get; init; } = [];

    [JsonIgnore]
    public IReadOnlyList<KeySet> FromKeys => From.Select(k => KeySet.FromHex(k.Cast<string?>().ToList())).ToList();

    [JsonIgnore]
    public KeySet TargetKeys => KeySet.FromHex(Target.Cast<string?>().ToList());

    public override string ToString() => $"JournalEntry({Uid} {Operation}, keys redacted)";
}
