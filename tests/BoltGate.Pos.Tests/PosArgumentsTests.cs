namespace BoltGate.Pos.Tests;

[Trait(Category.Name, Category.Unit)]
public sealed class PosArgumentsTests
{
    [Theory]
    [InlineData(new[] { "--node", "type=simulated" }, "exactly one tap")]
    [InlineData(new[] { "--url", "lnurlw://x/ln", "--reader", "--invoice", "lnbcrt1" }, "exactly one tap")]
    [InlineData(new[] { "--url", "lnurlw://x/ln" }, "--node and --invoice")]
    [InlineData(new[] { "--gateway", "http://x", "--uid", "04", "--invoice", "lnbcrt1" }, "--k1")]
    [InlineData(new[] { "--url", "lnurlw://x/ln", "--invoice", "lnbcrt1", "--amount-sat", "5" }, "its own amount")]
    [InlineData(new[] { "--url", "lnurlw://x/ln", "--node", "type=simulated", "--amount-sat", "0" }, "above zero")]
    [InlineData(new[] { "--url", "lnurlw://x/ln", "--node", "type=simulated", "--colour" }, "Unknown option")]
    [InlineData(new[] { "--url", "--node", "type=simulated" }, "--url needs a value")]
    public void Bad_command_lines_say_what_is_wrong(string[] args, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => PosArguments.Parse(args));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lnurlw://pay.example.com/ln?p=AA&c=BB", false, "https://pay.example.com/ln?p=AA&c=BB")]
    [InlineData("lnurlw://boltgate:5000/ln?p=AA&c=BB", true, "http://boltgate:5000/ln?p=AA&c=BB")]
    [InlineData("lightning:lnurlw://pay.example.com/ln?p=AA", false, "https://pay.example.com/ln?p=AA")]
    [InlineData("http://127.0.0.1:5000/ln?p=AA&c=BB", false, "http://127.0.0.1:5000/ln?p=AA&c=BB")]
    public void Tap_links_become_the_url_a_wallet_fetches(string link, bool plainHttp, string expected)
    {
        Assert.Equal(expected, TapSource.FromLink(link, plainHttp, out var error)?.ToString());
        Assert.Equal("", error);
    }

    [Fact]
    public void A_bech32_lnurl_is_decoded_and_junk_is_refused()
    {
        var lnurl = BoltGate.Core.Lnurl.LnurlCodec.Encode("https://pay.example.com/ln?p=AA&c=BB");
        Assert.Equal("https://pay.example.com/ln?p=AA&c=BB", TapSource.FromLink(lnurl, false, out _)?.ToString());
        Assert.Null(TapSource.FromLink("ftp://x", false, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void A_virtual_card_tap_verifies_with_its_keys_and_changes_with_the_counter()
    {
        const string k1 = "0c3b25d92b38ae443229dd59ad34b85d";
        const string k2 = "b45775776cb224c75bcde7ca3704e933";
        var one = TapSource.FromVirtualCard(new Uri("https://pay.example.com/"), "04a39493cc8680", k1, k2, 1);
        var two = TapSource.FromVirtualCard(new Uri("https://pay.example.com/"), "04a39493cc8680", k1, k2, 2);
        Assert.StartsWith("https://pay.example.com/ln?p=", one.ToString(), StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(one.Query);
        var verified = BoltGate.Core.Sun.SunVerifier.Verify(Convert.FromHexString(k1), Convert.FromHexString(k2), query["p"], query["c"]);
        Assert.True(verified.IsVerified, verified.ToString());
        Assert.Equal(1u, verified.Counter);
        Assert.Equal("04a39493cc8680", verified.Uid.Hex, ignoreCase: true);
        Assert.NotEqual(one, two);
        Assert.Throws<ArgumentException>(() => TapSource.FromVirtualCard(new Uri("https://x/"), "04a3", k1, k2, 1));
    }
}
