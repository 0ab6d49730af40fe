using BenchmarkDotNet.Attributes;
using BoltGate.Core.Secp256k1;

namespace BoltGate.Benchmarks;

/// <summary>
/// The EC step of a BOLT11 decode, native libsecp256k1 against the managed port, on one signature.
/// Run: <c>dotnet run -c Release --project tests/BoltGate.Benchmarks -- --filter '*PublicKeyRecovery*'</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class PublicKeyRecoveryBenchmarks
{
    private readonly byte[] _key = new byte[33];
    private byte[] _compact = [];
    private byte[] _hash = [];
    private int _recoveryId;
    private NativeRecovery? _native;

    [GlobalSetup]
    public void Setup()
    {
        _hash = System.Security.Cryptography.SHA256.HashData("bench"u8);
        var key = NBitcoin.Secp256k1.ECPrivKey.Create(System.Security.Cryptography.SHA256.HashData("bench key"u8));
        key.TrySignRecoverable(_hash, out var signature);
        _compact = new byte[64];
        signature!.WriteToSpanCompact(_compact, out _recoveryId);
        _native = NativeRecovery.TryCreate(out var whyNot) ?? throw new InvalidOperationException(whyNot);
    }

    [Benchmark(Baseline = true, Description = "managed NBitcoin.Secp256k1")]
    public bool Managed() => ManagedRecovery.Instance.TryRecover(_compact, _recoveryId, _hash, _key);

    [Benchmark(Description = "native libsecp256k1")]
    public bool Native() => _native!.TryRecover(_compact, _recoveryId, _hash, _key);
}
