using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BoltGate.Core.Crypto;

namespace BoltGate.Benchmarks;

/// <summary>The per-key cost that the span APIs pay on every call: key expansion and one block.</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class AesKeyScheduleBenchmarks
{
    private readonly byte[] _key = Hex.Decode("2b7e151628aed2a6abf7158809cf4f3c");
    private AesRoundKeys _rk;

    [Benchmark(Description = "AES-128 key expansion (AES-NI)")]
    public Vector128<byte> Expand()
    {
        AesNi.ExpandEncryptionKey(_key, ref _rk);
        return _rk[10];
    }

    [Benchmark(Description = "AES-128 one block, expanded key")]
    public Vector128<byte> EncryptBlock() => AesNi.Encrypt(Vector128<byte>.Zero, ref _rk);
}
