using BoltGate.Core.Crypto;
using BoltGate.Core.Sun;

namespace BoltGate.Core.Tests.Sun;

[Trait(Category.Name, Category.Unit)]
public class SunTapTests
{
    private const string P = "4E2E289D945A66BB13377A728884E867";
    private const string C = "E19CCB1FED8892CE";

    [Fact]
    public void Parses_exact_hex_in_either_case()
    {
        Assert.True(SunTap.TryParse(P, C, out var upper));
        Assert.True(SunTap.TryParse(P.ToLowerInvariant(), C.ToLowerInvariant(), out var lower));
        Assert.Equal(upper, lower);
        Assert.Equal(P, Hex.Upper(upper.EncryptedPicc));
        Assert.Equal(C, Hex.Upper(upper.Mac));
        Assert.Equal(upper.EncryptedPicc.ToArray(), upper.EncryptedPiccMemory.ToArray());
        Assert.Equal(upper.Mac.ToArray(), upper.MacMemory.ToArray());
        Assert.Equal((P, C), (upper.P, upper.C));
    }

    [Theory]
    [InlineData(null, C)]
    [InlineData(P, null)]
    [InlineData("", C)]
    [InlineData(P, "")]
    [InlineData("4E2E289D945A66BB13377A728884E86", C)] // 31
    [InlineData("4E2E289D945A66BB13377A728884E8670", C)] // 33
    [InlineData(P, "E19CCB1FED8892C")] // 15
    [InlineData(P, "E19CCB1FED8892CE0")] // 17
    [InlineData("4E2E289D945A66BB13377A728884E86G", C)]
    [InlineData(" 4E2E289D945A66BB13377A728884E86", C)]
    [InlineData("4E2E289D945A66BB13377A728884E867 ", C)]
    [InlineData("0x4E2E289D945A66BB13377A728884E8", C)]
    [InlineData(P, "E19CCB1F-D8892CE")]
    [InlineData(P, "E19CCB1FED8892C\u0000")]
    [InlineData("４E2E289D945A66BB13377A728884E867", C)] // full-width digit
    [InlineData(C, P)] // swapped
    public void Rejects_anything_but_exact_hex(string? p, string? c)
    {
        Assert.False(SunTap.TryParse(p, c, out var tap));
        Assert.Equal(default, tap);
        var result = SunVerifier.Verify(new byte[16], new byte[16], p, c);
        Assert.Equal(SunResult.Rejected(SunRejection.Malformed), result);
    }

    [Fact]
    public void Default_tap_reads_as_zeros_instead_of_throwing()
    {
        var tap = default(SunTap);
        Assert.Equal(new byte[16], tap.EncryptedPicc.ToArray());
        Assert.Equal(new byte[8], tap.Mac.ToArray());
    }

    [Fact]
    public void From_bytes_round_trips_and_copies()
    {
        var p = Hex.Decode(P);
        var tap = SunTap.FromBytes(p, Hex.Decode(C));
        p[0] ^= 1;
        Assert.Equal(P, tap.P);
        Assert.Throws<ArgumentException>(() => SunTap.FromBytes(new byte[15], new byte[8]));
        Assert.Throws<ArgumentException>(() => SunTap.FromBytes(new byte[16], new byte[9]));
    }
}
