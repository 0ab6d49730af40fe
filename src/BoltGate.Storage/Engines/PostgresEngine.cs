using System.Data;
using System.Data.Common;
using Dapper;
using Npgsql;

namespace BoltGate.Storage.Engines;

/// <summary>
/// PostgreSQL through one pooled <see cref="NpgsqlDataSource"/>. Transactions are READ COMMITTED; the
/// invariants rest on row locks (<c>FOR UPDATE</c>) and conditional updates, which PostgreSQL re-checks
/// against the newest row version, so they hold across gateway instances.
/// </summary>
internal sealed class PostgresEngine : SqlEngine
{
    // An arbitrary constant: "BoltGate migrations" as an advisory lock key.
    private const long MigrationLockKey = 0x426F6C7447617465;
    // Another one: "BoltGate outbox".
    private const long OutboxLockKey = 0x426F6C744F757462;
    private readonly NpgsqlDataSource _dataSource;

    /// <param name="writerConnections">Group-commit loops side by side: sized by the database server, not this process's cores.</param>
    public PostgresEngine(string connectionString, int writerConnections)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(writerConnections, 1);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        WriterConnections = writerConnections;
    }

    public override int WriterConnections { get; }

    // deadlock_detected, serialization_failure: the statement's intent is rolled back to its savepoint and runs again.
    public override bool IsRetryable(Exception e) => e is PostgresException { SqlState: "40P01" or "40001" };

    public override string MigrationFolder => "postgres";

    public override string ForUpdate => " FOR UPDATE";

    public override string ForUpdateSkipLocked => " FOR UPDATE SKIP LOCKED";

    public override async Task<DbConnection> OpenAsync(CancellationToken ct) =>
        await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);

    public override Task LockForMigrationAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(@key)", new { key = MigrationLockKey }, tx, cancellationToken: ct));

    public override string TextAsJson(string parameter) => $"CAST({parameter} AS jsonb)";

    public override string InList(string parameter) => $"= ANY({parameter})";

    public override string JsonAsText(string column) => $"{column}::text";

    public override Task LockOutboxAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(@key)", new { key = OutboxLockKey }, tx, cancellationToken: ct));

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
