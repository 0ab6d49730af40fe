using BoltGate.Storage;
using Microsoft.Data.Sqlite;

namespace BoltGate.Testing.Databases;

/// <summary>A SQLite file in its own temporary folder.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly TempDir _folder = new("boltgate-sqlite-");

    public SqliteTestDatabase()
    {
        FilePath = _folder.File("boltgate.db");
    }

    public string Folder => _folder.Path;

    public string FilePath { get; }

    public override StorageProvider Provider => StorageProvider.Sqlite;

    public override string ConnectionString => $"Data Source={FilePath}";

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
