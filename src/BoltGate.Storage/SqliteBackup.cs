using Microsoft.Data.Sqlite;

namespace BoltGate.Storage;

/// <summary>
/// An online backup of a SQLite gateway database with SQLite's backup API: a consistent snapshot of one
/// moment, taken while the gateway serves (readers and writers go on; WAL contents are included). The copy
/// is written 0600 beside nothing else: the data key it needs to read imported card keys stays in its own file.
/// </summary>
public static class SqliteBackup
{
    /// <summary>Copies the database of <paramref name="connectionString"/> to <paramref name="destination"/> (which must not exist).</summary>
    public static void Run(string connectionString, string destination)
    {
        var source = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        if (!File.Exists(source.DataSource))
            throw new FileNotFoundException("No SQLite database at " + source.DataSource, source.DataSource);
        if (File.Exists(destination))
            throw new IOException($"{destination} exists already; give a new file.");
        var folder = Path.GetDirectoryName(Path.GetFullPath(destination));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        Engines.SqliteEngine.OwnerOnly(destination);
        using (var from = new SqliteConnection(source.ToString()))
        using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString()))
        {
            from.Open();
            using (var busy = from.CreateCommand())
            {
                busy.CommandText = "PRAGMA busy_timeout = 30000;";
                busy.ExecuteNonQuery();
            }
            to.Open();
            from.BackupDatabase(to);
            using var check = to.CreateCommand();
            check.CommandText = "PRAGMA journal_mode = DELETE; PRAGMA integrity_check;";
            if (check.ExecuteScalar() is not "ok" and not "delete")
                throw new InvalidDataException("The backup failed SQLite's integrity check.");
        }
        Engines.SqliteEngine.OwnerOnly(destination);
    }
}
