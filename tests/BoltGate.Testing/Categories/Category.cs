namespace BoltGate.Testing;

/// <summary>
/// The test categories, as <c>[Trait(Category.Name, Category.Unit)]</c> on every test class;
/// <c>./scripts/test.sh --filter Category=Unit</c> runs one of them.
/// </summary>
public static class Category
{
    /// <summary>The trait's name.</summary>
    public const string Name = "Category";

    /// <summary>Pure in-memory: no socket, no database file, no process. The quick loop.</summary>
    public const string Unit = "Unit";

    /// <summary>A contract suite, or a test on a real database or a protocol fake over a socket.</summary>
    public const string Contract = "Contract";

    /// <summary>Starts a real gateway process or another external process.</summary>
    public const string Process = "Process";

    /// <summary>Goes through pcscd and the vpcd virtual reader (run under <c>flock /tmp/boltgate-pcsc.lock</c>).</summary>
    public const string Hardware = "Hardware";

    public static IReadOnlyList<string> All { get; } = [Unit, Contract, Process, Hardware];
}
