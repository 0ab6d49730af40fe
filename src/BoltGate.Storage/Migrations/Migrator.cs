using System.Globalization;
using System.Reflection;
using BoltGate.Storage.Engines;
using Dapper;

namespace BoltGate.Storage.Migrations;

/// <summary>
/// Applies the engine's numbered scripts (<c>Migrations/&lt;engine&gt;/NNNN_name.sql</c>, embedded) that
/// are newer than <c>schema_version</c>, each in its own transaction together with its version row.
/// Instances starting at once serialise on a lock, so each script runs exactly once.
/// </summary>
internal static class Migrator
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts(string folder)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"BoltGate.Storage.Migrations.{folder}.";
        var scripts = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
                continue;
            var name = resource[prefix.Length..^4];
            var underscore = name.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(name[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                throw new InvalidOperationException($"Migration '{resource}' is not named NNNN_name.sql.");
            scripts.Add((version, name, Read(assembly, resource)));
        }
        scripts.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Item1 != i + 1)
                throw new InvalidOperationException($"Migrations of '{folder}' must be numbered 1..n without gaps.");
        }
        return scripts;
    }

    /// <summary>Brings the schema up to date and returns its version.</summary>
    public static async Task<int> MigrateAsync(SqlEngine engine, TimeProvider time, CancellationToken ct)
    {
        var scripts = Scripts(engine.MigrationFolder);
        await using var connection = await engine.OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            cancellationToken: ct)).ConfigureAwait(false);

        var current = 0;
        foreach (var (version, name, sql) in scripts)
        {
            await using var tx = await engine.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            await engine.LockForMigrationAsync(connection, tx, ct).ConfigureAwait(false);
            var applied = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT MAX(version) FROM schema_version", transaction: tx, cancellationToken: ct)).ConfigureAwait(false) ?? 0;
            if (applied >= version)
            {
                current = (int)applied;
                await tx.RollbackAsync(ct).ConfigureAwait(false);
                continue;
            }
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @at)",
                new { version, name, at = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            current = version;
        }
        return current;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Missing embedded migration '{resource}'.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
