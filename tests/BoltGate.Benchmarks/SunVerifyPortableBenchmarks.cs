using BenchmarkDotNet.Attributes;
using BoltGate.Core.Crypto;
using BoltGate.Core.Sun;

namespace BoltGate.Benchmarks;

/// <summary>The same tap on the portable path (what a CPU without AES-NI, e.g. ARM, gets).</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class SunVerifyPortableBenchmarks
{
    private readonly byte[] _k1 = Hex.Decode("0c3b25d92b38ae443229dd59ad34b85d");
    private readonly byte[] _k2 = Hex.Decode("b45775776cb224c75bcde7ca3704e933");
    private readonly string _p = "4E2E289D945A66BB13377A728884E867";
    private readonly string _c = "E19CCB1FED8892CE";

    [GlobalSetup]
    public void Setup() => AesBackend.ForcePortable = true;

    [GlobalCleanup]
    public void Cleanup() => AesBackend.ForcePortable = false;

    [Benchmark(Description = "SunVerifier.Verify portable (platform Aes)")]
    public SunResult OursPortable() => SunVerifier.Verify(_k1, _k2, _p, _c);
}
