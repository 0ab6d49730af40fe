using Microsoft.Data.Sqlite;

namespace BoltGate.Testing.Fuzzing;

/// <summary>
/// The money of a SQLite gateway database, read in one transaction: every card's balance equals its ledger,
/// and credits − debits = balances + reserved (open withdrawals: amount + fee reserve) + settled (succeeded:
/// amount + fee). A withdrawal that failed was refunded in full, so it is in the balances.
/// </summary>
public sealed record MoneyCheck(long Credits, long Debits, long Balances, long Reserved, long Settled, IReadOnlyList<string> LedgerMismatches,
    int Withdrawals)
{
    public bool Holds => LedgerMismatches.Count == 0 && Credits - Debits == Balances + Reserved + Settled;

    public override string ToString() =>
        $"credits {Credits} − debits {Debits} = {Credits - Debits} msat; balances {Balances} + reserved {Reserved} + settled {Settled} = " +
        $"{Balances + Reserved + Settled} msat over {Withdrawals} withdrawals; cards whose balance ≠ ledger: {LedgerMismatches.Count}";

    public static MoneyCheck OfSqlite(string databaseFile)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var tx = connection.BeginTransaction(deferred: true);
        long Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            return command.ExecuteScalar() is long n ? n : 0;
        }
        var credits = Scalar("SELECT COALESCE(SUM(amount_msat), 0) FROM ledger WHERE kind = 'topup'");
        var debits = -Scalar("SELECT COALESCE(SUM(amount_msat), 0) FROM ledger WHERE kind = 'debit'");
        var balances = Scalar("SELECT COALESCE(SUM(balance_msat), 0) FROM cards");
        var reserved = Scalar("SELECT COALESCE(SUM(amount_msat + fee_reserve_msat), 0) FROM withdrawals WHERE lower(state) NOT IN ('succeeded', 'failed')");
        var settled = Scalar("SELECT COALESCE(SUM(amount_msat + MIN(COALESCE(fee_msat, 0), fee_reserve_msat)), 0) FROM withdrawals WHERE lower(state) = 'succeeded'");
        var count = (int)Scalar("SELECT COUNT(*) FROM withdrawals");
        var mismatches = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = tx;
            command.CommandText = "SELECT c.id FROM cards c LEFT JOIN (SELECT card_id, SUM(amount_msat) AS total FROM ledger GROUP BY card_id) l " +
                "ON l.card_id = c.id WHERE c.balance_msat <> COALESCE(l.total, 0)";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                mismatches.Add(reader.GetString(0));
        }
        return new MoneyCheck(credits, debits, balances, reserved, settled, mismatches, count);
    }
}
