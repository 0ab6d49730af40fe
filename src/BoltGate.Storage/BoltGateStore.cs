using System.Data.Common;
using System.Security.Cryptography;
using BoltGate.Core.Crypto;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Engines;
using BoltGate.Storage.Migrations;
using Dapper;

namespace BoltGate.Storage;

/// <summary>
/// The gateway's state on SQLite or PostgreSQL. Every invariant that money depends on is held by the
/// database (conditional updates, row locks, unique constraints) so it holds across gateway instances
/// sharing one PostgreSQL. Times come from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class BoltGateStore : IAsyncDisposable
{
    private readonly SqlEngine _engine;
    private readonly TimeProvider _time;
    private readonly CardKeyCipher _cipher;
    private readonly GroupCommitter _writes;

    static BoltGateStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    private BoltGateStore(SqlEngine engine, TimeProvider time, CardKeyCipher cipher)
    {
        _engine = engine;
        _time = time;
        _cipher = cipher;
        _writes = new GroupCommitter(engine, engine.WriterConnections);
    }

    public StorageProvider Provider { get; private init; }

    /// <summary>The engine's SQL dialect, for the test support's entry points (InternalsVisibleTo).</summary>
    internal SqlEngine Engine => _engine;

    public int SchemaVersion { get; private set; }

    /// <summary>Opens the database and applies pending migrations.</summary>
    public static async Task<BoltGateStore> OpenAsync(StorageOptions options, TimeProvider time, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var cipher = new CardKeyCipher(options.DataKey);
        SqlEngine engine = options.Provider switch
        {
            StorageProvider.Sqlite => new SqliteEngine(options.ConnectionString),
            StorageProvider.Postgres => new PostgresEngine(options.ConnectionString, options.WriterConnections),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown storage provider."),
        };
        var store = new BoltGateStore(engine, time, cipher) { Provider = options.Provider };
        try
        {
            store.SchemaVersion = await Migrator.MigrateAsync(engine, time, ct).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Whether the database answers (for /healthz).</summary>
    public async Task<bool> PingAsync(CancellationToken ct)
    {
        await using var connection = await _engine.OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1", cancellationToken: ct)).ConfigureAwait(false) == 1;
    }

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    internal long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string NewId() => Hex.Lower(RandomNumberGenerator.GetBytes(16));

    internal async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await _engine.OpenAsync(ct).ConfigureAwait(false);
        return await work(connection).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> as one write intent: it commits when the work says so and rolls back
    /// otherwise (a rejection leaves no trace); exceptions roll it back too. The intent may share its
    /// transaction with other flows' (group commit, each in its own savepoint); the answer comes only after
    /// that transaction committed. <paramref name="urgent"/> marks an intent that ends a reservation (refund,
    /// settlement): it goes before queued new work.
    /// </summary>
    internal Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<(T Result, bool Commit)>> work, CancellationToken ct,
        bool urgent = false) =>
        _writes.SubmitAsync(work, urgent, ct);

    /// <summary>The group-commit counters, for the tests.</summary>
    internal GroupCommitter Writes => _writes;

    internal static CommandDefinition Cmd(string sql, object? args, DbTransaction? tx, CancellationToken ct) =>
        new(sql, args, tx, cancellationToken: ct);
}
