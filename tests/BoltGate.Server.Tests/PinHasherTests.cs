using BoltGate.Server.Pins;

namespace BoltGate.Server.Tests;

[Trait(Category.Name, Category.Unit)]
public sealed class PinHasherTests
{
    [Fact]
    public void A_hash_verifies_its_pin_only_and_is_salted()
    {
        var hash = PinHasher.Hash("1234");
        Assert.StartsWith("pbkdf2-sha256$100000$", hash);
        Assert.DoesNotContain("1234", hash.Split('$')[2] + hash.Split('$')[3]);
        Assert.True(PinHasher.Verify("1234", hash));
        Assert.False(PinHasher.Verify("1235", hash));
        Assert.False(PinHasher.Verify(null, hash));
        Assert.NotEqual(hash, PinHasher.Hash("1234"));
    }

    [Theory]
    [InlineData("123", false)]
    [InlineData("12345678", true)]
    [InlineData("123456789", false)]
    [InlineData("12a4", false)]
    [InlineData("١٢٣٤", false)] // Arabic-Indic digits are not ASCII digits
    public void Pins_are_four_to_eight_ascii_digits(string pin, bool ok) => Assert.Equal(ok, PinHasher.IsWellFormed(pin));
}
