using BenchmarkDotNet.Attributes;
using BoltGate.Core.Crypto;

namespace BoltGate.Benchmarks;

/// <summary>Raw AES-CMAC of one 16-byte block (e.g. SV2 -> session key).</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class CmacBenchmarks
{
    private readonly byte[] _key = Hex.Decode("2b7e151628aed2a6abf7158809cf4f3c");
    private readonly byte[] _message = Hex.Decode("6bc1bee22e409f96e93d7e117393172a");
    private readonly byte[] _mac = new byte[16];
    private readonly BouncyCastleSun _bouncy = new();
    private AesKey _prepared = null!;

    [GlobalSetup]
    public void Setup() => _prepared = new AesKey(_key);

    [Benchmark(Baseline = true, Description = "BouncyCastle CMac 16 B (Init per call)")]
    public byte[] BouncyCastle() => _bouncy.Cmac(_key, _message);

    [Benchmark(Description = "AesCmac.Compute(key bytes) 16 B")]
    public byte[] OursRawKey()
    {
        AesCmac.Compute(_key, _message, _mac);
        return _mac;
    }

    [Benchmark(Description = "AesCmac.Compute(AesKey) 16 B")]
    public byte[] OursPreparedKey()
    {
        AesCmac.Compute(_prepared, _message, _mac);
        return _mac;
    }
}
