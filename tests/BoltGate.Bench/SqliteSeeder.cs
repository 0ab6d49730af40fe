using System.Diagnostics;
using System.Globalization;
using BoltGate.Core.Crypto;
using BoltGate.Core.Keys;
using BoltGate.Core.Sun;
using Microsoft.Data.Sqlite;

namespace BoltGate.Bench;

/// <summary>
/// Bulk-inserts deterministic cards (keys derived from the issuer key, none stored) into a migrated BoltGate
/// SQLite file, in one transaction with one prepared statement: a million rows take seconds, not the hours
/// two admin requests per card would.
/// </summary>
internal static class SqliteSeeder
{
    public static int Run(Args a)
    {
        var issuerKey = Convert.FromHexString(a.Get("issuer-key"));
        var n = a.Int("cards", 1_000_000);
        var prefix = a.Get("uid-prefix", "c0");
        var started = Stopwatch.GetTimestamp();
        using var connection = new SqliteConnection($"Data Source={a.Get("db")}");
        connection.Open();
        using var tx = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText =
            "INSERT INTO cards (id, name, uid, key_version, key_source, counter, balance_msat, created_at, updated_at) " +
            "VALUES ($id, 'seeded', $uid, 1, 'deterministic', -1, 0, $now, $now)";
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var uid = insert.Parameters.Add("$uid", SqliteType.Text);
        insert.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        insert.Prepare();
        for (var i = 0; i < n; i++)
        {
            var cardUid = CardUid.Parse(prefix + i.ToString("x12", CultureInfo.InvariantCulture));
            uid.Value = cardUid.Hex;
            id.Value = Hex.Lower(DeterministicKeys.CardId(issuerKey, cardUid));
            insert.ExecuteNonQuery();
        }
        tx.Commit();
        Console.WriteLine($"{{\"run\":\"seed-sqlite\",\"cards\":{n},\"seconds\":{Stopwatch.GetElapsedTime(started).TotalSeconds:F1}}}");
        return 0;
    }
}
