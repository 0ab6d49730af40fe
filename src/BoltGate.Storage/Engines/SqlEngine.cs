using System.Data.Common;

namespace BoltGate.Storage.Engines;

/// <summary>
/// What differs between the two engines: how to open a connection, how to start a write transaction
/// that serialises with other writers, and how to lock rows. Everything else is shared SQL.
/// </summary>
internal abstract class SqlEngine : IAsyncDisposable
{
    /// <summary>Folder of this engine's migration scripts (embedded resources).</summary>
    public abstract string MigrationFolder { get; }

    /// <summary>Suffix that locks the selected rows for the transaction (empty where the whole database is locked).</summary>
    public abstract string ForUpdate { get; }

    /// <summary>Suffix for a claim query: skip rows another instance holds.</summary>
    public abstract string ForUpdateSkipLocked { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>
    /// How many write transactions (group-commit loops, <see cref="GroupCommitter"/>) run side by side: SQLite
    /// has one writer; PostgreSQL runs several under row locks, as many as the database is sized for.
    /// </summary>
    public abstract int WriterConnections { get; }

    /// <summary>A failure that only says "try again" (a deadlock between two groups): the intent runs again.</summary>
    public virtual bool IsRetryable(Exception e) => false;

    /// <summary>A transaction that takes the write lock up front (SQLite) or runs READ COMMITTED with row locks (PostgreSQL).</summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    /// <summary>Serialises migrations across instances starting at once; called inside the migration transaction.</summary>
    public abstract Task LockForMigrationAsync(DbConnection connection, DbTransaction tx, CancellationToken ct);

    /// <summary>
    /// "column is one of the list <paramref name="parameter"/>": Dapper expands the list on SQLite; with
    /// Npgsql it passes it as one array parameter, which needs <c>= ANY(...)</c>.
    /// </summary>
    public virtual string InList(string parameter) => "IN " + parameter;

    /// <summary>SQL that stores the text parameter <paramref name="parameter"/> in a JSON column.</summary>
    public virtual string TextAsJson(string parameter) => parameter;

    /// <summary>SQL that reads the JSON column <paramref name="column"/> back as text.</summary>
    public virtual string JsonAsText(string column) => column;

    /// <summary>
    /// Orders outbox writers (called just before the event insert, held to commit), so event ids become
    /// visible in order. Nothing to do where writers are serialised already.
    /// </summary>
    public virtual Task LockOutboxAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) => Task.CompletedTask;

    public abstract ValueTask DisposeAsync();
}
