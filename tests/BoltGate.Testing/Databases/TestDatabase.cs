using BoltGate.Storage;

namespace BoltGate.Testing.Databases;

/// <summary>A fresh, empty database for one test, removed afterwards.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract StorageProvider Provider { get; }

    public abstract string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => new SqliteTestDatabase(),
        StorageProvider.Postgres => await PostgresTestDatabase.CreateAsync().ConfigureAwait(false),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public abstract ValueTask DisposeAsync();
}
