namespace BoltGate.Storage;

/// <summary>Which database engine holds the gateway's state (configuration <c>Storage:Provider</c>).</summary>
public enum StorageProvider
{
    Sqlite,
    Postgres,
}
