using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace BoltGate.Storage.Engines;

/// <summary>
/// SQLite in WAL mode with a busy timeout. Write transactions are BEGIN IMMEDIATE, so two writers never
/// both read and then race to upgrade their lock: the second waits (up to the busy timeout) instead.
/// Within this process writes go through one <see cref="GroupCommitter"/> loop, so they wait without
/// blocking threads, refunds go before new reservations, and many flows share one transaction.
/// </summary>
internal sealed class SqliteEngine : SqlEngine
{
    private const int BusyTimeoutMs = 30_000;
    private readonly string _connectionString;

    public SqliteEngine(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMs / 1000,
        };
        if (builder.Mode is SqliteOpenMode.ReadWriteCreate && !string.IsNullOrEmpty(builder.DataSource)
            && builder.DataSource != ":memory:")
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(dir))
                Directory.CreateDirectory(dir);
            OwnerOnly(builder.DataSource);
        }
        _connectionString = builder.ToString();
    }

    /// <summary>
    /// The database holds balances, PIN hashes and encrypted card keys: only its owner may read it. The file
    /// is created 0600 before SQLite opens it, and SQLite gives its -wal and -shm files the database file's
    /// mode; files made by an older version are narrowed here.
    /// </summary>
    internal static void OwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows())
            return;
        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!File.Exists(path))
        {
            try
            {
                using var created = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = mode,
                });
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it meanwhile.
            }
        }
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            if (File.Exists(file) && File.GetUnixFileMode(file) != mode)
                File.SetUnixFileMode(file, mode);
        }
    }

    public override string MigrationFolder => "sqlite";

    public override string ForUpdate => "";

    public override string ForUpdateSkipLocked => "";

    public override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
            await pragma.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override int WriterConnections => 1;

    // deferred: false => BEGIN IMMEDIATE (SQLite's busy handler waits for the lock; there is no async form).
    public override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override Task LockForMigrationAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) =>
        Task.CompletedTask; // BEGIN IMMEDIATE already holds the database's write lock.

    public override ValueTask DisposeAsync()
    {
        // Release the pooled handles so the file can be moved or deleted (tests, backups).
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
