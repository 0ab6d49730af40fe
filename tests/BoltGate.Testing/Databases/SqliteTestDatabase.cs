using BoltGate.Storage;
using Microsoft.Data.Sqlite;

namespace BoltGate.Testing.Databases;

/// <summary>A SQLite file in its own temporary folder.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    public SqliteTestDatabase()
    {
        Folder = Directory.CreateTempSubdirectory("boltgate-sqlite-").FullName;
        FilePath = Path.Combine(Folder, "boltgate.db");
    }

    public string Folder { get; }

    public string FilePath { get; }

    public override StorageProvider Provider => StorageProvider.Sqlite;

    public override string ConnectionString => $"Data Source={FilePath}";

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A handle still open elsewhere; the temp folder is cleaned by the OS later.
        }
        return ValueTask.CompletedTask;
    }
}
