using System.Text.Json;
using BoltGate.Core.Crypto;
using BoltGate.Testing;

namespace BoltGate.Core.Tests;

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
}
