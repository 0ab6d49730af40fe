using BoltGate.Nfc.Ntag424;
using static BoltGate.Nfc.Tests.Support.HexNotation;

namespace BoltGate.Nfc.Tests.Ntag424;

[Trait(Category.Name, Category.Unit)]
public class PrimitiveTests
{
    // spec §4.4 Padding: BTCPAY tests/UnitTest1.cs CanDoPadding
    [Theory]
    [InlineData("01020304050607080910111213141516", "0102030405060708091011121314151680000000000000000000000000000000")]
    [InlineData("010203040506070809101112131415", "01020304050607080910111213141580")]
    [InlineData("01", "01800000000000000000000000000000")]
    public void Padding_always_adds_the_80_marker(string data, string padded)
    {
        Assert.Equal(padded, S(Padding.Pad(X(data))));
        Assert.True(Padding.TryUnpad(X(padded), out var back));
        Assert.Equal(data, S(back));
    }

    [Fact]
    public void Malformed_padding_is_refused()
    {
        Assert.False(Padding.TryUnpad(new byte[16], out _));
        Assert.False(Padding.TryUnpad(X("0102"), out _));
    }

    // spec §4.5: BTCPAY CRCJam("hello world") = unchecked((uint)(-0xd4a1186))
    [Fact]
    public void Jamcrc_matches_the_btcpay_vector()
    {
        Assert.Equal(0xF2B5EE7Au, Jamcrc.Compute("hello world"u8));
    }

    // spec §4.5 AN Table 26: CRC32 of new key F3847D62... = 789DFADC (as sent, little-endian)
    [Fact]
    public void Jamcrc_of_the_an12196_new_key()
    {
        var data = ChangeKeyData.ForOtherKey(X("F3847D627727ED3BC9C4CC050489B966"), Zero16, 0x01);
        Assert.Equal("F3847D627727ED3BC9C4CC050489B96601789DFADC", S(data));
    }

    // spec §4.4 GetFileSettings: CMAC B565AC978FA46D5784C845CD1444102C -> MACt 6597A457C8CD442C
    [Fact]
    public void Truncation_keeps_the_odd_bytes()
    {
        Assert.Equal("6597A457C8CD442C", S(MacTruncation.Truncate(X("B565AC978FA46D5784C845CD1444102C"))));
    }

    // spec §4.3 AN Table 14 / 20 / 24 session keys
    [Theory]
    [InlineData("00000000000000000000000000000000", "13C5DB8A5930439FC3DEF9A4C675360F", "B9E2FC789B64BF237CCCAA20EC7E6E48", "1309C877509E5A215007FF0ED19CA564", "4C6626F5E72EA694202139295C7A7FC7")]
    [InlineData("00000000000000000000000000000000", "B98F4C50CF1C2E084FD150E33992B048", "91517975190DCEA6104948EFA3085C1B", "7A93D6571E4B180FCA6AC90C9A7488D4", "FC4AF159B62E549B5812394CAB1918CC")]
    [InlineData("00000000000000000000000000000000", "60BE759EDA560250AC57CDDC11743CF6", "6924E8D09722659A2E7DEC68E66312B8", "4CF3CB41A22583A61E89B158D252FC53", "5529860B2FC5FB6154B7F28361D30BF9")]
    public void Session_keys_match_an12196(string key, string rndA, string rndB, string enc, string mac)
    {
        var keys = SessionKeys.Derive(X(key), X(rndA), X(rndB));
        Assert.Equal(enc, S(keys.Enc));
        Assert.Equal(mac, S(keys.Mac));
    }

    // spec §4.4 IVs: AN Table 26 IVe, Table 18 IVc, Table 22 IVc, Table 29 IVr
    [Fact]
    public void Ivs_match_an12196()
    {
        var t26 = new SecureChannel(new SessionKeys(X("4CF3CB41A22583A61E89B158D252FC53"), X("5529860B2FC5FB6154B7F28361D30BF9")), X("7614281A"), 0, 2);
        Assert.Equal("307EDE1814707F30CFE603DD6CA62353", S(t26.CommandIv()));
        var t18 = new SecureChannel(new SessionKeys(X("1309C877509E5A215007FF0ED19CA564"), X("4C6626F5E72EA694202139295C7A7FC7")), X("9D00C4DF"), 0);
        Assert.Equal("D2CB7277A17841A06654A48188C1F8F5", S(t18.CommandIv()));
        var t22 = new SecureChannel(new SessionKeys(X("7A93D6571E4B180FCA6AC90C9A7488D4"), X("FC4AF159B62E549B5812394CAB1918CC")), X("7614281A"), 3);
        Assert.Equal("4C651A64261A90307B6C293F611C7F7B", S(t22.CommandIv()));
        var t29 = new SecureChannel(new SessionKeys(X("2B4D963C014DC36F24F69A50A394F875"), X("379D32130CE61705DD5FD8C36B95D764")), X("DF055522"), 0);
        Assert.Equal("7F6BB0B278EA054CBD238C5D9E9E342B", S(t29.ResponseIv(1)));
        var t28 = new SecureChannel(new SessionKeys(X("7951A705F47F3C29B596454DC1490383"), X("FE4EDBF46536557E304682F33E63A84F")), X("D779B1D0"), 0);
        Assert.Equal("FEFB918047F385563FA8356DE86E5182", S(t28.CommandIv()));
        var t19 = new SecureChannel(new SessionKeys(X("1309C877509E5A215007FF0ED19CA564"), X("4C6626F5E72EA694202139295C7A7FC7")), X("9D00C4DF"), 0, 1);
        Assert.Equal("3E27082AB2ACC1EF55C57547934E9962", S(t19.CommandIv()));
        var t9 = new SecureChannel(new SessionKeys(X("7305E2CCA5B0377617CDBFEB96C9B358"), X("8B485037C8C2FB400D79BF0AB956F28F")), X("856C1841"), 0);
        Assert.Equal("81DACD2EB2D257FC556E8952DD665B58", S(t9.CommandIv()));
        var t27 = new SecureChannel(new SessionKeys(X("4CF3CB41A22583A61E89B158D252FC53"), X("5529860B2FC5FB6154B7F28361D30BF9")), X("7614281A"), 0, 3);
        Assert.Equal("01602D579423B2797BE8B478B0B4D27B", S(t27.CommandIv()));
    }
}
