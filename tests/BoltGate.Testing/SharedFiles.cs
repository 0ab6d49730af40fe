namespace BoltGate.Testing;

/// <summary>
/// Finds the repository root and the shared test vectors that sit beside it
/// (<c>../shared/vectors</c>), or in <c>BOLTGATE_SHARED</c> when set. A missing folder fails loudly:
/// a vector test never passes by skipping.
/// </summary>
public static class SharedFiles
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SharedDir { get; } = FindSharedDir();

    public static string Vector(string fileName)
    {
        var path = Path.Combine(SharedDir, "vectors", fileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Shared test vector '{fileName}' is missing at {path}.", path);
        return path;
    }

    public static string ReadVector(string fileName) => File.ReadAllText(Vector(fileName));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BoltGate.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("Could not find BoltGate.sln above " + AppContext.BaseDirectory);
    }

    private static string FindSharedDir()
    {
        var fromEnv = Environment.GetEnvironmentVariable("BOLTGATE_SHARED");
        if (!string.IsNullOrEmpty(fromEnv))
            return Path.GetFullPath(fromEnv);
        var beside = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
        if (Directory.Exists(Path.Combine(beside, "vectors")))
            return beside;
        throw new DirectoryNotFoundException(
            $"The shared folder with test vectors was not found at {beside}. Set BOLTGATE_SHARED to its path.");
    }
}
