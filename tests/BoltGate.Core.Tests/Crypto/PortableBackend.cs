using BoltGate.Core.Crypto;

namespace BoltGate.Core.Tests.Crypto;

/// <summary>
/// Tests that flip the process-wide <see cref="AesBackend.ForcePortable"/> switch run in this
/// collection, which xunit runs alone after every parallel collection.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PortableBackend
{
    public const string Name = "Portable AES backend (serial)";

    public static T Run<T>(Func<T> action)
    {
        AesBackend.ForcePortable = true;
        try
        {
            return action();
        }
        finally
        {
            AesBackend.ForcePortable = false;
        }
    }
}
