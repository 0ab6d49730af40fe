namespace BoltGate.Storage;

/// <summary>How to reach the database, and the data key that encrypts imported cards' keys at rest.</summary>
public sealed record StorageOptions
{
    public required StorageProvider Provider { get; init; }

    /// <summary>
    /// SQLite: a Microsoft.Data.Sqlite connection string (<c>Data Source=path</c>). PostgreSQL: an Npgsql
    /// connection string naming an existing database.
    /// </summary>
    public required string ConnectionString { get; init; }

    /// <summary>32 bytes: the AES-256-GCM key for imported cards' keys (kept under DataDir by the host).</summary>
    public required byte[] DataKey { get; init; }

    /// <summary>
    /// PostgreSQL: how many group-commit transactions run side by side (each on its own connection). Size it by
    /// the database server — its cores and disk — not by the gateway's. SQLite always has one writer.
    /// </summary>
    public int WriterConnections { get; init; } = 8;
}
