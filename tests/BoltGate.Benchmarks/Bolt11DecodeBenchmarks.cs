using BenchmarkDotNet.Attributes;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;

namespace BoltGate.Benchmarks;

/// <summary>
/// BOLT 11 decode + signature verification per invoice, the work the callback does before it
/// reserves funds. Run: <c>dotnet run -c Release --project tests/BoltGate.Benchmarks -- --filter '*Bolt11*'</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class Bolt11DecodeBenchmarks
{
    // BOLT 11 spec example "$3 for a cup of coffee, within one minute" (CC-BY 4.0), signed by the spec key.
    private const string SpecCoffee =
        "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh";

    private static readonly byte[] SpecKey = Convert.FromHexString("e126f68f7eafcc8b74f54d269fe206be715000f94dac067d1c04a8ca3b2db734");

    private string _withNField = string.Empty;
    private string _withRouteHints = string.Empty;
    private Bolt11InvoiceRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _request = new Bolt11InvoiceRequest(
            BitcoinNetwork.Mainnet, new Msat(250_000_000), DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            Bytes32.Sha256("preimage"u8), Bytes32.Sha256("secret"u8), Description: "1 cup coffee", Expiry: TimeSpan.FromMinutes(10));
        _withNField = Bolt11Encoder.Encode(_request with { IncludePayeeKey = true }, SpecKey);
        var hop = new RouteHintHop(Bolt11Encoder.PublicKeyOf(SpecKey), 0x0102030405060708, 1, 20, 40);
        _withRouteHints = Bolt11Encoder.Encode(_request with { RouteHints = [new RouteHint([hop, hop]), new RouteHint([hop])] }, SpecKey);
        if (Bolt11Decoder.Decode(SpecCoffee) is not Bolt11DecodeResult.Ok
            || Bolt11Decoder.Decode(_withNField) is not Bolt11DecodeResult.Ok
            || Bolt11Decoder.Decode(_withRouteHints) is not Bolt11DecodeResult.Ok)
            throw new InvalidOperationException("Benchmark invoices do not decode.");
    }

    [Benchmark(Baseline = true, Description = "decode + recover payee (spec coffee, no n)")]
    public Bolt11DecodeResult DecodeRecover() => Bolt11Decoder.Decode(SpecCoffee);

    [Benchmark(Description = "decode + verify against n field")]
    public Bolt11DecodeResult DecodeVerifyN() => Bolt11Decoder.Decode(_withNField);

    [Benchmark(Description = "decode + recover, 2 route hints (3 hops)")]
    public Bolt11DecodeResult DecodeRouteHints() => Bolt11Decoder.Decode(_withRouteHints);

    [Benchmark(Description = "reject: bad checksum (no EC work)")]
    public Bolt11DecodeResult RejectChecksum() => Bolt11Decoder.Decode(SpecCoffee[..^1] + "q");

    [Benchmark(Description = "encode + sign")]
    public string Encode() => Bolt11Encoder.Encode(_request, SpecKey);
}
