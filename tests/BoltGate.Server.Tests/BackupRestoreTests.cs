using System.Diagnostics;
using BoltGate.Storage;
using BoltGate.Testing.Fuzzing;

namespace BoltGate.Server.Tests;

/// <summary>
/// <c>BoltGate.Server backup --to</c> while withdrawals run: the copy is one consistent moment (every balance equals its
/// ledger, credits = balances + reserved + settled), and a gateway started on it with the same key files serves those cards.
/// </summary>
[Trait(Category.Name, Category.Process)]
public sealed class BackupRestoreTests
{
    [Fact(Timeout = 240_000)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_backup_taken_under_load_restores_with_every_balance_equal_to_its_ledger()
    {
        await using var host = await GatewayHost.StartAsync(StorageProvider.Sqlite);
        var cards = new List<TestCard>();
        for (var i = 0; i < 6; i++)
            cards.Add(await host.CreateCardAsync(balanceSat: 100_000));
        var database = ((Testing.Databases.SqliteTestDatabase)host.Database).FilePath;
        using var folder = new TempDir("boltgate-backup-");
        var backup = Path.Combine(folder.Path, "copy.db");

        using var stop = new CancellationTokenSource();
        var paid = 0;
        var load = cards.Select((card, n) => Task.Run(async () =>
        {
            for (uint counter = 1; !stop.IsCancellationRequested; counter++)
            {
                var k1 = await host.OfferAsync(card, counter);
                var (_, body) = await host.CallbackAsync(k1, host.Invoice(1 + n));
                if (body.GetProperty("status").GetString() == "OK")
                    Interlocked.Increment(ref paid);
            }
        })).ToList();
        while (Volatile.Read(ref paid) < 20)
            await Task.Delay(50);

        var (exit, output) = await RunServerAsync("backup", "--to", backup, "--Storage:ConnectionString=Data Source=" + database);
        var paidAtBackup = Volatile.Read(ref paid);
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(load);
        Assert.True(exit == 0, output);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));

        var copy = MoneyCheck.OfSqlite(backup);
        Assert.True(copy.Holds, copy.ToString());
        Assert.True(copy.Withdrawals >= 20, copy.ToString());
        Assert.True(Volatile.Read(ref paid) > paidAtBackup, "the withdrawals did not go on while the backup ran");
        var live = MoneyCheck.OfSqlite(database);
        Assert.True(live.Withdrawals > copy.Withdrawals, "the copy is not of a moment before the load ended");

        // Restore: the copy as the database of a new gateway with the same key files.
        var work = new TempDir("boltgate-restore-");
        using (work)
        {
            var data = Directory.CreateDirectory(Path.Combine(work.Path, "data")).FullName;
            File.Copy(backup, Path.Combine(data, "boltgate.db"));
            File.Copy(Path.Combine(host.DataDir, "data.key"), Path.Combine(data, "data.key"));
            using var restored = ServerProcess.Start(work.Path, "--Admin:ApiKey=" + GatewayHost.AdminKey, "--Issuer:Key=" + GatewayHost.IssuerKeyHex);
            await restored.WaitHealthyAsync();
            using var admin = restored.AdminClient(GatewayHost.AdminKey);
            var total = 0L;
            foreach (var card in cards)
            {
                var view = await admin.GetCardAsync(card.Id, default);
                var ledger = await admin.GetLedgerAsync(card.Id, default);
                Assert.Equal(view.BalanceMsat, ledger.Sum(e => e.AmountMsat));
                Assert.True(view.BalanceMsat < 100_000_000, "a card paid nothing before the backup");
                total += view.BalanceMsat;
            }
            Assert.Equal(copy.Balances, total);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Backup_refuses_postgres_and_an_existing_file_with_a_clear_message()
    {
        using var folder = new TempDir("boltgate-backup-");
        var (pgExit, pgOutput) = await RunServerAsync("backup", "--to", Path.Combine(folder.Path, "x.db"), "--Storage:Provider=postgres",
            "--Storage:ConnectionString=Host=127.0.0.1");
        Assert.Equal(2, pgExit);
        Assert.Contains("pg_dump", pgOutput, StringComparison.Ordinal);
        var existing = Path.Combine(folder.Path, "exists.db");
        await File.WriteAllTextAsync(existing, "x");
        var (exit, output) = await RunServerAsync("backup", "--to", existing, "--DataDir=" + folder.Path);
        Assert.NotEqual(0, exit);
        Assert.Contains("backup failed", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunServerAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ServerProcess.ServerDll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
