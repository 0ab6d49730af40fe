using BoltGate.Core.Sun;

namespace BoltGate.Core.Tests.Sun;

[Trait(Category.Name, Category.Unit)]
public class CardUidTests
{
    [Fact]
    public void Parses_either_case_and_prints_lower_hex()
    {
        Assert.True(CardUid.TryParse("04996C6A926980", out var upper));
        Assert.True(CardUid.TryParse("04996c6a926980", out var lower));
        Assert.Equal(upper, lower);
        Assert.Equal("04996c6a926980", upper.Hex);
        Assert.Equal("04996c6a926980", upper.ToString());
        Assert.Equal(new byte[] { 0x04, 0x99, 0x6c, 0x6a, 0x92, 0x69, 0x80 }, upper.ToArray());
        Assert.Equal(upper, CardUid.FromBytes(upper.ToArray()));
        Assert.Equal(upper.GetHashCode(), lower.GetHashCode());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("04996c6a92698")]
    [InlineData("04996c6a9269800")]
    [InlineData("04996c6a92698g")]
    [InlineData("04996c6a92698 ")]
    public void Rejects_anything_but_14_hex(string? hex)
    {
        Assert.False(CardUid.TryParse(hex, out _));
    }

    [Fact]
    public void Different_uids_differ()
    {
        Assert.NotEqual(CardUid.Parse("04996c6a926980"), CardUid.Parse("04996c6a926981"));
        Assert.NotEqual(CardUid.Parse("ff996c6a926980"), CardUid.Parse("04996c6a926980"));
        Assert.Throws<ArgumentException>(() => CardUid.FromBytes(new byte[8]));
    }
}
