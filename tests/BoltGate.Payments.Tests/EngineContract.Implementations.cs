using BoltGate.Storage;

namespace BoltGate.Payments.Tests;

// The engine contract on every backend × database: EngineContract_<backend>On<database>. PostgreSQL
// comes from scripts/deps/postgres.sh (BOLTGATE_TEST_POSTGRES); without it those classes fail loudly.

[Trait(Category.Name, Category.Contract)]
public sealed class EngineContract_SimulatedOnSqlite : EngineContract
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
    protected override Backend Backend => Backend.Simulated;
}

[Trait(Category.Name, Category.Contract)]
public sealed class EngineContract_SimulatedOnPostgres : EngineContract
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
    protected override Backend Backend => Backend.Simulated;
}

[Trait(Category.Name, Category.Contract)]
public sealed class EngineContract_LndOnSqlite : EngineContract
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
    protected override Backend Backend => Backend.LndRest;
}

[Trait(Category.Name, Category.Contract)]
public sealed class EngineContract_LndOnPostgres : EngineContract
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
    protected override Backend Backend => Backend.LndRest;
}

[Trait(Category.Name, Category.Contract)]
public sealed class EngineContract_CoreLightningOnSqlite : EngineContract
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
    protected override Backend Backend => Backend.CoreLightning;
}

[Trait(Category.Name, Category.Contract)]
public sealed class EngineContract_CoreLightningOnPostgres : EngineContract
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
    protected override Backend Backend => Backend.CoreLightning;
}
