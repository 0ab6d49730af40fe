using BoltGate.Nfc.Provisioning;

namespace BoltGate.Nfc.Tests.Provisioning;

/// <summary>The key formats of spec §3: programmer-app create response, deeplink response, LNbits upper case, BoltGate admin API, wipe JSON.</summary>
[Trait(Category.Name, Category.Unit)]
public class ProgrammerJsonTests
{
    private const string App = """
        {"protocol_name":"new_bolt_card_response","protocol_version":1,"card_name":"Spending_Card",
         "lnurlw_base":"lnurlw://your.domain.com/ln","uid_privacy":"Y",
         "k0":"11111111111111111111111111111111","k1":"22222222222222222222222222222222",
         "k2":"33333333333333333333333333333333","k3":"44444444444444444444444444444444",
         "k4":"55555555555555555555555555555555"}
        """;

    [Fact]
    public void The_app_readme_example_parses()
    {
        Assert.True(ProgrammerJson.TryParseKeys(App, out var keys, out _));
        Assert.Equal("lnurlw://your.domain.com/ln", keys.LnurlwBase);
        Assert.True(keys.UidPrivacy);
        Assert.Equal("Spending_Card", keys.CardName);
        Assert.Equal("33333333333333333333333333333333", keys.Keys.ToHex()[2]);
        Assert.DoesNotContain("3333", keys.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Deeplink_and_lnbits_upper_case_and_admin_api_shapes_parse()
    {
        Assert.True(ProgrammerJson.TryParseKeys("""{"LNURLW":"lnurlw://h/boltcard","K0":"11111111111111111111111111111111","K1":"22222222222222222222222222222222","K2":"33333333333333333333333333333333","K3":"44444444444444444444444444444444","K4":"55555555555555555555555555555555"}""", out var deeplink, out _));
        Assert.Equal("lnurlw://h/boltcard", deeplink.LnurlwBase);
        Assert.Null(deeplink.KeyVersion);
        Assert.True(ProgrammerJson.TryParseKeys("""{"id":"c1","uid":"04a39493cc8680","keyVersion":1,"keys":{"k0":"11111111111111111111111111111111","k1":"22222222222222222222222222222222","k2":"33333333333333333333333333333333","k3":"44444444444444444444444444444444","k4":"55555555555555555555555555555555"},"lnurlw":"lnurlw://gw/ln"}""", out var admin, out _));
        Assert.Equal("lnurlw://gw/ln", admin.LnurlwBase);
        Assert.False(admin.UidPrivacy);
        Assert.Equal((byte)1, admin.KeyVersion);
    }

    [Theory]
    [InlineData("""{"status":"ERROR","reason":"one-time code used"}""", "one-time code used")]
    [InlineData("""{"lnurlw_base":"lnurlw://x/ln","k0":"11"}""", "must contain")]
    [InlineData("not json", "Not valid JSON")]
    [InlineData("""{"keyVersion":0,"lnurlw":"lnurlw://gw/ln","keys":{"k0":"11111111111111111111111111111111","k1":"22222222222222222222222222222222","k2":"33333333333333333333333333333333","k3":"44444444444444444444444444444444","k4":"55555555555555555555555555555555"}}""", "0 marks a blank card")]
    [InlineData("""{"keyVersion":256,"lnurlw":"lnurlw://gw/ln","keys":{"k0":"11111111111111111111111111111111","k1":"22222222222222222222222222222222","k2":"33333333333333333333333333333333","k3":"44444444444444444444444444444444","k4":"55555555555555555555555555555555"}}""", "must be 1..255")]
    [InlineData("""{"lnurlw_base":"lnurlw://x/ln","k0":"zz111111111111111111111111111111","k1":"22222222222222222222222222222222","k2":"33333333333333333333333333333333","k3":"44444444444444444444444444444444","k4":"55555555555555555555555555555555"}""", "K0")]
    public void Bad_answers_are_reasons_not_exceptions(string json, string reason)
    {
        Assert.False(ProgrammerJson.TryParseKeys(json, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Wipe_json_defaults_missing_keys_to_zero_and_checks_the_action()
    {
        Assert.True(ProgrammerJson.TryParseWipe("""{"version":1,"action":"wipe","k0":"11111111111111111111111111111111","uid":"04a39493cc8680"}""", out var keys, out var uid, out _));
        Assert.Equal("04a39493cc8680", uid);
        Assert.Equal("11111111111111111111111111111111", keys.ToHex()[0]);
        Assert.Equal(new string('0', 32), keys.ToHex()[4]);
        Assert.False(ProgrammerJson.TryParseWipe("""{"action":"program"}""", out _, out _, out var error));
        Assert.Contains("not \"wipe\"", error, StringComparison.Ordinal);
        var written = ProgrammerJson.WriteWipe(keys, "04a39493cc8680");
        Assert.True(ProgrammerJson.TryParseWipe(written, out var back, out _, out _));
        Assert.Equal(keys, back);
    }
}
