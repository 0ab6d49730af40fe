using BoltGate.Storage;
using Npgsql;

namespace BoltGate.Testing.Databases;

/// <summary>
/// A new PostgreSQL database made through the admin connection in <c>BOLTGATE_TEST_POSTGRES</c>
/// (set by <c>scripts/deps/postgres.sh</c>). A missing variable or a server that does not answer fails
/// the test loudly: PostgreSQL tests never skip.
/// </summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    public const string EnvironmentVariable = "BOLTGATE_TEST_POSTGRES";
    private readonly string _admin;

    private PostgresTestDatabase(string admin, string name, string connectionString)
    {
        _admin = admin;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public override StorageProvider Provider => StorageProvider.Postgres;

    public override string ConnectionString { get; }

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } admin
            ? admin
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Run `source scripts/deps/postgres.sh` (or scripts/test.sh) to start " +
                "PostgreSQL and export it; the PostgreSQL tests do not skip.");

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var admin = AdminConnectionString;
        var name = "boltgate_test_" + Guid.NewGuid().ToString("N");
        try
        {
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync().ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL at {EnvironmentVariable} did not answer ({e.Message}). Start it with `source scripts/deps/postgres.sh`.", e);
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 100 };
        return new PostgresTestDatabase(admin, name, builder.ToString());
    }

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
