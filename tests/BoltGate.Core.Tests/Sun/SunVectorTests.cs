using BoltGate.Core.Crypto;
using BoltGate.Core.Sun;

namespace BoltGate.Core.Tests.Sun;

[Trait(Category.Name, Category.Unit)]
public class SunVectorTests
{
    public static TheoryData<int> ValidIndexes() => new(Enumerable.Range(0, SunVectors.ValidTaps.Count));

    public static TheoryData<int> InvalidIndexes() => new(Enumerable.Range(0, SunVectors.InvalidTaps.Count));

    [Theory]
    [MemberData(nameof(ValidIndexes))]
    public void Valid_tap_verifies_to_its_uid_and_counter(int index)
    {
        var v = SunVectors.ValidTaps[index];
        var (k1, k2) = (Hex.Decode(v.K1), Hex.Decode(v.K2));
        var expected = SunResult.Verified(CardUid.Parse(v.Uid), v.Counter);

        Assert.Equal(expected, SunVerifier.Verify(k1, k2, v.P, v.C));
        Assert.Equal(expected, SunVerifier.Verify(new AesKey(k1), k2, v.P, v.C));
        Assert.Equal(expected, SunVerifier.Verify(k1, k2, v.P.ToLowerInvariant(), v.C.ToLowerInvariant()));
    }

    [Theory]
    [MemberData(nameof(ValidIndexes))]
    public void Valid_tap_intermediate_values_match(int index)
    {
        var v = SunVectors.ValidTaps[index];
        var (k1, k2) = (Hex.Decode(v.K1), Hex.Decode(v.K2));
        var uid = CardUid.Parse(v.Uid);

        var plain = new byte[16];
        new AesKey(k1).DecryptBlock(Hex.Decode(v.P), plain);
        Assert.Equal(v.PiccDataPlain, Hex.Lower(plain));

        var sv2 = new byte[16];
        SunMac.SessionVector(uid, v.Counter, sv2);
        Assert.Equal(v.Sv2, Hex.Lower(sv2));

        var sessionKey = SunMac.SessionMacKey(k2, uid, v.Counter);
        Assert.Equal(v.SessionMacKey, Hex.Lower(sessionKey));

        var full = AesCmac.Compute(sessionKey, []);
        Assert.Equal(v.FullCmac, Hex.Lower(full));

        var truncated = new byte[8];
        SunMac.Truncate(full, truncated);
        Assert.Equal(v.C, Hex.Upper(truncated));
        Assert.Equal(v.C, Hex.Upper(SunMac.Compute(k2, uid, v.Counter)));
    }

    [Theory]
    [MemberData(nameof(ValidIndexes))]
    public void Parsed_tap_decrypts_and_its_mac_verifies_in_two_steps(int index)
    {
        var v = SunVectors.ValidTaps[index];
        var (k1, k2) = (Hex.Decode(v.K1), Hex.Decode(v.K2));
        Assert.True(SunTap.TryParse(v.P, v.C, out var tap));

        Assert.True(SunVerifier.TryDecryptPicc(k1, tap, out var uid, out var counter));
        Assert.True(SunVerifier.TryDecryptPicc(new AesKey(k1), tap, out var uid2, out var counter2));
        Assert.Equal((CardUid.Parse(v.Uid), v.Counter), (uid, counter));
        Assert.Equal((uid, counter), (uid2, counter2));
        Assert.True(SunVerifier.VerifyMac(k2, uid, counter, tap));
        Assert.False(SunVerifier.VerifyMac(k2, uid, counter + 1, tap));
    }

    [Theory]
    [MemberData(nameof(ValidIndexes))]
    public void Generator_reproduces_the_card_output_given_its_padding(int index)
    {
        var v = SunVectors.ValidTaps[index];
        var padding = Hex.Decode(v.PiccDataPlain)[11..];
        var (p, c) = SunGenerator.Create(Hex.Decode(v.K1), Hex.Decode(v.K2), CardUid.Parse(v.Uid), v.Counter, padding);
        Assert.Equal((v.P, v.C), (p, c));
    }

    [Theory]
    [MemberData(nameof(InvalidIndexes))]
    public void Invalid_tap_is_rejected_with_the_precise_reason(int index)
    {
        var v = SunVectors.InvalidTaps[index];
        var keys = SunVectors.ValidTaps[v.Base];
        // Tampering p scrambles the whole decrypted block (tag byte no longer C7); a wrong c or a
        // c from another tap leaves PICCData intact but fails the MAC; a foreign K1 breaks the tag.
        var expected = v.Name switch
        {
            "tampered p (last nibble)" => SunRejection.NotBoltcard,
            "tampered c (last nibble)" => SunRejection.BadMac,
            "p from one tap with c from another" => SunRejection.BadMac,
            "wrong K1 (decrypts to a tag byte other than C7)" => SunRejection.NotBoltcard,
            _ => throw new InvalidOperationException($"New invalid vector '{v.Name}': state its expected rejection here."),
        };

        var result = SunVerifier.Verify(Hex.Decode(keys.K1), Hex.Decode(keys.K2), v.P, v.C);

        Assert.False(result.IsVerified);
        Assert.Equal(expected, result.Rejection);
        Assert.Equal(default, result.Uid);
    }

    [Fact]
    public void An12196_table_2_session_mac_key()
    {
        // spec/boltcard.md §1.5: UID 04C767F2066180, SDMReadCtr 010000 (LSB first) = 1.
        var uid = CardUid.Parse("04C767F2066180");
        var sv2 = new byte[16];
        SunMac.SessionVector(uid, 1, sv2);
        Assert.Equal("3CC30001008004C767F2066180010000", Hex.Upper(sv2));
        var key = SunMac.SessionMacKey(Hex.Decode("5ACE7E50AB65D5D51FD5BF5A16B8205B"), uid, 1);
        Assert.Equal("3A3E8110E05311F7A3FCF0D969BF2B48", Hex.Upper(key));
    }

    [Theory]
    [InlineData("041E3C8A2D6B80", 6u, "4B00064004B0B3D3")] // sdm-backend test_plain_sdm
    [InlineData("049d98f20b1090", 0x26u, "71fd0299f6a6f742")] // node-ntag424 "mac validation / positive case"
    public void Plain_mirror_mac_vectors(string uid, uint counter, string expectedMac)
    {
        var mac = SunMac.Compute(new byte[16], CardUid.Parse(uid), counter);
        Assert.Equal(expectedMac, Hex.Lower(mac), ignoreCase: true);
    }
}
