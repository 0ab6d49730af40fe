using BenchmarkDotNet.Attributes;
using BoltGate.Core.Crypto;
using BoltGate.Core.Sun;

namespace BoltGate.Benchmarks;

/// <summary>One verified Boltcard tap (boltcard TEST_VECTORS #1): ours vs BouncyCastle.</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class SunVerifyBenchmarks
{
    private readonly byte[] _k1 = Hex.Decode("0c3b25d92b38ae443229dd59ad34b85d");
    private readonly byte[] _k2 = Hex.Decode("b45775776cb224c75bcde7ca3704e933");
    private readonly string _p = "4E2E289D945A66BB13377A728884E867";
    private readonly string _c = "E19CCB1FED8892CE";
    private readonly BouncyCastleSun _bouncy = new();
    private AesKey _preparedK1 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _preparedK1 = new AesKey(_k1);
        if (!SunVerifier.Verify(_k1, _k2, _p, _c).IsVerified || _bouncy.Verify(_k1, _k2, _p, _c) != 0)
            throw new InvalidOperationException("The benchmark tap does not verify.");
    }

    [Benchmark(Baseline = true, Description = "BouncyCastle CMac+AesEngine verify")]
    public int BouncyCastle() => _bouncy.Verify(_k1, _k2, _p, _c);

    [Benchmark(Description = "SunVerifier.Verify(k1 bytes, k2, p, c)")]
    public SunResult OursRawKeys() => SunVerifier.Verify(_k1, _k2, _p, _c);

    [Benchmark(Description = "SunVerifier.Verify(AesKey k1, k2, p, c)")]
    public SunResult OursPreparedK1() => SunVerifier.Verify(_preparedK1, _k2, _p, _c);
}
