using System.Runtime.Intrinsics;
using System.Text.Json;
using BoltGate.Core.Crypto;

namespace BoltGate.Core.Tests.Crypto;

[Trait(Category.Name, Category.Unit)]
public class AesCmacVectorTests
{
    public static TheoryData<string, string, string> Rfc4493()
    {
        using var doc = JsonDocument.Parse(SharedFiles.ReadVector("aes-cmac-rfc4493.json"));
        var data = new TheoryData<string, string, string>();
        foreach (var v in doc.RootElement.GetProperty("vectors").EnumerateArray())
            data.Add(v.GetProperty("key").GetString()!, v.GetProperty("message").GetString()!, v.GetProperty("mac").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Rfc4493))]
    public void Matches_rfc4493_examples(string key, string message, string expectedMac)
    {
        var mac = AesCmac.Compute(Hex.Decode(key), Hex.Decode(message));
        Assert.Equal(expectedMac, Hex.Lower(mac));
    }

    [Theory]
    [MemberData(nameof(Rfc4493))]
    public void Matches_rfc4493_examples_with_a_prepared_key_on_both_backends(string key, string message, string expectedMac)
    {
        foreach (var hardware in new[] { true, false })
        {
            var prepared = new AesKey(Hex.Decode(key), hardware);
            Assert.Equal(expectedMac, Hex.Lower(AesCmac.Compute(prepared, Hex.Decode(message))));
        }
    }

    [Fact]
    public void Subkeys_match_rfc4493()
    {
        using var doc = JsonDocument.Parse(SharedFiles.ReadVector("aes-cmac-rfc4493.json"));
        var subkeys = doc.RootElement.GetProperty("subkeys");
        var key = new AesKey(Hex.Decode("2b7e151628aed2a6abf7158809cf4f3c"));
        Assert.Equal(subkeys.GetProperty("K1").GetString(), Hex.Lower(Bytes(key.CmacSubkey1)));
        Assert.Equal(subkeys.GetProperty("K2").GetString(), Hex.Lower(Bytes(key.CmacSubkey2)));
    }

    [Fact]
    public void Aes_block_matches_fips197_appendix_b()
    {
        var key = new AesKey(Hex.Decode("2b7e151628aed2a6abf7158809cf4f3c"));
        var output = new byte[16];
        key.EncryptBlock(Hex.Decode("3243f6a8885a308d313198a2e0370734"), output);
        Assert.Equal("3925841d02dc09fbdc118597196a0b32", Hex.Lower(output));
        key.DecryptBlock(output, output);
        Assert.Equal("3243f6a8885a308d313198a2e0370734", Hex.Lower(output));
    }

    [Fact]
    public void Ntag424_secure_messaging_mac_from_an12196_table_8()
    {
        // KSesAuthMAC and GetFileSettings MAC input from AN12196 Table 8 (spec/boltcard.md §4.4).
        var mac = AesCmac.Compute(Hex.Decode("8248134A386E86EB7FAF54A52E536CB6"), Hex.Decode("F500007A21085E02"));
        Assert.Equal("B565AC978FA46D5784C845CD1444102C", Hex.Upper(mac));
    }

    [Fact]
    public void Wrong_key_or_destination_length_is_a_bug_and_throws()
    {
        Assert.Throws<ArgumentException>(() => AesCmac.Compute(new byte[15], []));
        Assert.Throws<ArgumentException>(() => AesCmac.Compute(new byte[24], []));
        Assert.Throws<ArgumentException>(() => AesCmac.Compute(new byte[16], [], new byte[15]));
        Assert.Throws<ArgumentException>(() => new AesKey(new byte[17]));
    }

    [Fact]
    public void Prepared_key_never_prints_its_material()
    {
        var key = new AesKey(Hex.Decode("2b7e151628aed2a6abf7158809cf4f3c"));
        Assert.DoesNotContain("2b7e", key.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Uses_aes_ni_where_the_cpu_has_it()
    {
        Assert.Equal(System.Runtime.Intrinsics.X86.Aes.IsSupported, AesKey.IsHardwareAccelerated);
        Assert.Equal(System.Runtime.Intrinsics.X86.Aes.IsSupported, new AesKey(new byte[16]).UsesHardware);
        Assert.False(new AesKey(new byte[16], hardware: false).UsesHardware);
    }

    private static byte[] Bytes(Vector128<byte> v)
    {
        var b = new byte[16];
        v.CopyTo(b);
        return b;
    }
}
