using BoltGate.Nfc.Ndef;
using BoltGate.Nfc.Tests.Ntag424;
using static BoltGate.Nfc.Tests.Support.HexNotation;

namespace BoltGate.Nfc.Tests.Ndef;

[Trait(Category.Name, Category.Unit)]
public class NdefTests
{
    // spec §4.7 worked example (derived ✔) and CARD_MANUAL.md's TagXplorer positions 41 / 76.
    [Fact]
    public void Boltcard_template_matches_the_worked_example()
    {
        var t = LnurlwTemplate.FromBase("lnurlw://card.yourdomain.com/ln");
        Assert.Equal("lnurlw://card.yourdomain.com/ln?p=00000000000000000000000000000000&c=0000000000000000", t.Url);
        Assert.Equal(
            "005AD1015655006C6E75726C773A2F2F636172642E796F7572646F6D61696E2E636F6D2F6C6E3F703D303030303030303030303030303030303030303030303030303030303030303026633D30303030303030303030303030303030",
            S(t.NdefFile));
        Assert.Equal(92, t.NdefFile.Length);
        Assert.Equal(41, t.PiccDataOffset);
        Assert.Equal(76, t.MacOffset);
    }

    [Fact]
    public void Sdm_offsets_are_3_byte_little_endian_in_change_file_settings()
    {
        var t = LnurlwTemplate.FromBase("lnurlw://card.yourdomain.com/ln");
        var settings = BoltGate.Nfc.Ntag424.FileSettings.BoltcardNdef(t.PiccDataOffset, t.MacOffset);
        // 40 | 00E0 | C1 | FF12 | PICCOffset | MACInputOffset | MACOffset  (spec §4.6 Boltcard setting)
        Assert.Equal("4000E0C1FF122900004C00004C0000", S(settings.ToChangeData()));
    }

    [Fact]
    public void Offsets_above_255_bytes_are_not_mangled()
    {
        // The app's padEnd bug only works for 16..255; the file is 256 bytes so exercise a long base.
        var t = LnurlwTemplate.FromBase("lnurlw://" + new string('a', 150) + ".example/ln");
        Assert.Equal(t.Url.IndexOf("p=", StringComparison.Ordinal) + 2 + 7, t.PiccDataOffset);
        var data = BoltGate.Nfc.Ntag424.FileSettings.BoltcardNdef(t.PiccDataOffset, t.MacOffset).ToChangeData();
        Assert.Equal(t.PiccDataOffset, data[6] | (data[7] << 8) | (data[8] << 16));
        Assert.Equal(t.MacOffset, data[12] | (data[13] << 8) | (data[14] << 16));
    }

    [Fact]
    public void A_base_with_a_query_gets_an_ampersand_and_https_is_rewritten()
    {
        var t = LnurlwTemplate.FromBase("https://pay.example/ln?card=7");
        Assert.Equal("lnurlw://pay.example/ln?card=7&p=00000000000000000000000000000000&c=0000000000000000", t.Url);
    }

    [Fact]
    public void A_url_that_does_not_fit_the_file_is_refused()
    {
        Assert.Throws<ArgumentException>(() => LnurlwTemplate.FromBase("lnurlw://" + new string('a', 200) + "/ln"));
        Assert.Throws<ArgumentException>(() => LnurlwTemplate.FromBase("ftp://x/ln"));
    }

    // spec §4.7 AN Table 16/17 (prefix 04 = https://)
    [Fact]
    public void An12196_table_16_ndef_file()
    {
        var file = NdefUriFile.Build("https://choose.url.com/ntag424?e=00000000000000000000000000000000&c=0000000000000000", abbreviate: true);
        Assert.Equal(An12196.Table16NdefFile, S(file));
        Assert.True(NdefUriFile.TryReadUri(file, out var uri));
        Assert.Equal("https://choose.url.com/ntag424?e=00000000000000000000000000000000&c=0000000000000000", uri);
        // offsets e = 0x20, c = 0x43 per the AN
        Assert.Equal(0x20, S(file).IndexOf("653D", StringComparison.Ordinal) / 2 + 2);
        Assert.Equal(0x43, S(file).IndexOf("26633D", StringComparison.Ordinal) / 2 + 3);
    }

    [Fact]
    public void Empty_and_garbage_files_hold_no_uri()
    {
        Assert.False(NdefUriFile.TryReadUri(NdefUriFile.Empty(), out _));
        Assert.False(NdefUriFile.TryReadUri(X("0005D101FF5500"), out _));
        Assert.False(NdefUriFile.TryReadUri(new byte[256], out _));
    }
}
