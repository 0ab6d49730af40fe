using BoltGate.Core.Crypto;
using BoltGate.Core.Sun;

namespace BoltGate.Core.Tests.Crypto;

/// <summary>The AES-NI path and the forced portable path give identical results end to end.</summary>
[Collection(PortableBackend.Name)]
[Trait(Category.Name, Category.Unit)]
public class PortableBackendTests
{
    [Fact]
    public void Static_cmac_agrees_between_backends_and_with_bouncycastle()
    {
        var random = new Random(38);
        for (var i = 0; i < 505; i++)
        {
            var key = AesCrossCheckTests.RandomBytes(random, 16);
            var message = AesCrossCheckTests.RandomBytes(random, i % 101);
            var hardware = AesCmac.Compute(key, message);
            var portable = PortableBackend.Run(() => AesCmac.Compute(key, message));
            Assert.Equal(BouncyReference.Cmac(key, message), portable);
            Assert.Equal(hardware, portable);
        }
    }

    [Fact]
    public void Portable_switch_really_takes_the_other_path()
    {
        Assert.False(PortableBackend.Run(() => new AesKey(new byte[16]).UsesHardware));
    }

    [Fact]
    public void Sun_generate_and_verify_agree_between_backends()
    {
        var random = new Random(424);
        for (var i = 0; i < 300; i++)
        {
            var k1 = AesCrossCheckTests.RandomBytes(random, 16);
            var k2 = AesCrossCheckTests.RandomBytes(random, 16);
            var uid = CardUid.FromBytes(AesCrossCheckTests.RandomBytes(random, 7));
            var counter = (uint)random.Next(0, 0x1000000);
            var padding = AesCrossCheckTests.RandomBytes(random, 5);

            var hardwareTap = SunGenerator.Create(k1, k2, uid, counter, padding);
            var portableTap = PortableBackend.Run(() => SunGenerator.Create(k1, k2, uid, counter, padding));
            Assert.Equal(hardwareTap, portableTap);

            var portableResult = PortableBackend.Run(() => SunVerifier.Verify(k1, k2, hardwareTap.P, hardwareTap.C));
            Assert.Equal(SunResult.Verified(uid, counter), portableResult);
            var tampered = PortableBackend.Run(() => SunVerifier.Verify(k1, k2, hardwareTap.P, Flip(hardwareTap.C)));
            Assert.Equal(SunResult.Rejected(SunRejection.BadMac), tampered);
        }
    }

    private static string Flip(string hex) => (hex[0] == '0' ? "1" : "0") + hex[1..];
}
