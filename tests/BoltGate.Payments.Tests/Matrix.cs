using BoltGate.Payments.Tests.Support;
using BoltGate.Storage;

namespace BoltGate.Payments.Tests;

// The engine contract on every backend × database. PostgreSQL comes from scripts/deps/postgres.sh
// (BOLTGATE_TEST_POSTGRES); without it those classes fail loudly.

public sealed class SimulatedOnSqlite : EngineContract
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
    protected override Backend Backend => Backend.Simulated;
}

public sealed class SimulatedOnPostgres : EngineContract
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
    protected override Backend Backend => Backend.Simulated;
}

public sealed class LndOnSqlite : EngineContract
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
    protected override Backend Backend => Backend.LndRest;
}

public sealed class LndOnPostgres : EngineContract
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
    protected override Backend Backend => Backend.LndRest;
}

public sealed class CoreLightningOnSqlite : EngineContract
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
    protected override Backend Backend => Backend.CoreLightning;
}

public sealed class CoreLightningOnPostgres : EngineContract
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
    protected override Backend Backend => Backend.CoreLightning;
}
