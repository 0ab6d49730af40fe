using BoltGate.Server.Configuration;
using BoltGate.Storage;

namespace BoltGate.Server.Hosting;

/// <summary>
/// <c>dotnet BoltGate.Server.dll backup --to &lt;file&gt;</c>: an online backup of the configured SQLite database
/// (the same configuration as the server: appsettings.json, <c>BOLTGATE__*</c>, <c>--Key=value</c>), taken while the
/// gateway runs. PostgreSQL is backed up with its own tools (docs/configuration.md, "Backup and restore").
/// </summary>
public static class BackupCommand
{
    public static bool Is(string[] args) => args.Length > 0 && args[0] == "backup";

    public static int Run(IConfiguration configuration, string[] args, TextWriter output, TextWriter error)
    {
        var to = args.SkipWhile(a => a != "--to").Skip(1).FirstOrDefault();
        if (string.IsNullOrWhiteSpace(to))
        {
            error.WriteLine("usage: BoltGate.Server backup --to <new file> [--DataDir=... | --Storage:ConnectionString=...]");
            return 2;
        }
        var options = configuration.Get<GatewayOptions>() ?? new GatewayOptions();
        if (!Providers.TryParse(options.Storage.Provider, out var provider) || provider != StorageProvider.Sqlite)
        {
            error.WriteLine("backup copies a SQLite database. For PostgreSQL use pg_dump -Fc (docs/configuration.md, \"Backup and restore\").");
            return 2;
        }
        var connectionString = options.Storage.ConnectionString is { Length: > 0 } configured
            ? configured
            : $"Data Source={Path.Combine(Path.GetFullPath(options.DataDir), "boltgate.db")}";
        try
        {
            SqliteBackup.Run(connectionString, to);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            error.WriteLine("backup failed: " + e.Message);
            return 1;
        }
        output.WriteLine($"backup written to {Path.GetFullPath(to)} (mode 0600). Keep {SecretsNote(options)} with it, apart.");
        return 0;
    }

    private static string SecretsNote(GatewayOptions options) =>
        Path.Combine(Path.GetFullPath(options.DataDir), "{data,issuer,admin}.key");
}
