using BoltGate.Storage;

namespace BoltGate.Server.Configuration;

internal static class Providers
{
    public static bool TryParse(string? text, out StorageProvider provider)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "sqlite":
                provider = StorageProvider.Sqlite;
                return true;
            case "postgres" or "postgresql":
                provider = StorageProvider.Postgres;
                return true;
            default:
                provider = default;
                return false;
        }
    }
}
