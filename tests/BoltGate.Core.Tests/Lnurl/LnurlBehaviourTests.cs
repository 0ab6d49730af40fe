using System.Text.Json;
using BoltGate.Core.Lnurl;
using BoltGate.Core.Money;
using FsCheck;
using FsCheck.Xunit;

namespace BoltGate.Core.Tests.Lnurl;

[Trait(Category.Name, Category.Unit)]
public class LnurlBehaviourTests
{
    [Theory]
    [InlineData("https://gate.example/lnurlw?p=A2EF40F6D46F1BB36E6EBF0114D4A464&c=F509EEA788E37E32")]
    [InlineData("https://gate.example/ünïcode/päth")]
    [InlineData("http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstu.onion/ln")]
    public void Encode_then_decode_returns_the_same_url(string url)
    {
        Assert.Equal(url, Assert.IsType<LnurlDecodeResult.Ok>(LnurlCodec.Decode(LnurlCodec.Encode(url))).Url);
        Assert.Equal(url, Assert.IsType<LnurlDecodeResult.Ok>(LnurlCodec.Decode(LnurlCodec.EncodeUpper(url))).Url);
    }

    [Theory]
    [InlineData("http://gate.example/x")]
    [InlineData("ftp://gate.example/x")]
    [InlineData("not a url")]
    public void Encoder_refuses_urls_a_wallet_must_not_fetch(string url) =>
        Assert.Throws<ArgumentException>(() => LnurlCodec.Encode(url));

    [Fact]
    public void Tag_query_parameter_names_the_subprotocol_without_a_get()
    {
        var ok = Assert.IsType<LnurlDecodeResult.Ok>(LnurlCodec.Decode(LnurlCodec.Encode("https://gate.example/w?tag=withdrawRequest&k1=ab")));
        Assert.Equal(LnurlSubprotocol.Withdraw, ok.Subprotocol);
        var none = Assert.IsType<LnurlDecodeResult.Ok>(LnurlCodec.Decode(LnurlCodec.Encode("https://gate.example/w")));
        Assert.Null(none.Subprotocol);
    }

    [Theory]
    [InlineData("LNURLW://card.example/ln?p=00&c=11", "https://card.example/ln?p=00&c=11")]
    [InlineData("lightning:lnurlw://card.example/ln", "https://card.example/ln")]
    public void Lud17_scheme_is_case_insensitive_and_may_sit_in_a_lightning_uri(string input, string url)
    {
        var ok = Assert.IsType<LnurlDecodeResult.Ok>(LnurlLink.Parse(input));
        Assert.Equal(url, ok.Url);
        Assert.Equal(LnurlSubprotocol.Withdraw, ok.Subprotocol);
    }

    [Theory]
    [InlineData(null, LnurlErrorCode.Empty)]
    [InlineData("", LnurlErrorCode.Empty)]
    [InlineData("https://shop.example/checkout", LnurlErrorCode.NotAnLnurl)]
    [InlineData("lnurlw://", LnurlErrorCode.InvalidUrl)]
    [InlineData("bitcoin:bc1qxyz", LnurlErrorCode.NotAnLnurl)]
    public void Link_parser_explains_what_it_cannot_use(string? input, LnurlErrorCode code) =>
        Assert.Equal(code, Assert.IsType<LnurlDecodeResult.Error>(LnurlLink.Parse(input)).Code);

    [Property(MaxTest = 3000)]
    public bool Random_text_never_throws_in_the_link_parser(string? input) =>
        LnurlLink.Parse(input) is LnurlDecodeResult.Error or LnurlDecodeResult.Ok;

    [Property(MaxTest = 2000)]
    public bool Random_text_after_the_hrp_is_an_error(string? tail) =>
        LnurlCodec.Decode("lnurl1" + tail) is LnurlDecodeResult.Error;

    [Fact]
    public void Withdraw_request_serializes_with_lud03_names_and_integer_msat()
    {
        var request = new WithdrawRequest
        {
            Callback = "https://gate.example/cb",
            K1 = "0123abcd",
            DefaultDescription = "Boltcard withdrawal",
            MinWithdrawable = new Msat(1_000),
            MaxWithdrawable = new Msat(250_000),
        };
        var json = JsonSerializer.Serialize(request, LnurlJsonContext.Default.WithdrawRequest);
        Assert.Equal(
            """{"tag":"withdrawRequest","callback":"https://gate.example/cb","k1":"0123abcd","defaultDescription":"Boltcard withdrawal","minWithdrawable":1000,"maxWithdrawable":250000}""",
            json);

        var withOptional = request with { PayLink = "lnurlp://gate.example/pay", PinLimit = new Msat(100_000) };
        var json2 = JsonSerializer.Serialize(withOptional, LnurlJsonContext.Default.WithdrawRequest);
        Assert.EndsWith(""","payLink":"lnurlp://gate.example/pay","pinLimit":100000}""", json2);
        Assert.Equal(withOptional, JsonSerializer.Deserialize(json2, LnurlJsonContext.Default.WithdrawRequest));
    }

    [Fact]
    public void Withdraw_request_without_a_required_field_does_not_deserialize()
    {
        const string json = """{"tag":"withdrawRequest","callback":"https://x/cb","defaultDescription":"d","minWithdrawable":1,"maxWithdrawable":2}""";
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, LnurlJsonContext.Default.WithdrawRequest));
        const string fractional = """{"tag":"withdrawRequest","callback":"https://x/cb","k1":"a","defaultDescription":"d","minWithdrawable":1.5,"maxWithdrawable":2}""";
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(fractional, LnurlJsonContext.Default.WithdrawRequest));
    }

    [Fact]
    public void Status_shapes_match_lud03_with_our_optional_code()
    {
        Assert.Equal("""{"status":"OK"}""", JsonSerializer.Serialize(LnurlStatus.Ok(), LnurlJsonContext.Default.LnurlStatus));
        Assert.Equal("""{"status":"ERROR","reason":"Card counter replayed"}""",
            JsonSerializer.Serialize(LnurlStatus.Error("Card counter replayed"), LnurlJsonContext.Default.LnurlStatus));
        Assert.Equal("""{"status":"ERROR","reason":"Invoice expired","code":"INVOICE_EXPIRED"}""",
            JsonSerializer.Serialize(LnurlStatus.Error("Invoice expired", "INVOICE_EXPIRED"), LnurlJsonContext.Default.LnurlStatus));

        var parsed = JsonSerializer.Deserialize("""{"status":"ERROR","reason":"nope"}""", LnurlJsonContext.Default.LnurlStatus)!;
        Assert.False(parsed.IsOk);
        Assert.Equal("nope", parsed.Reason);
        Assert.True(JsonSerializer.Deserialize("""{"status":"OK"}""", LnurlJsonContext.Default.LnurlStatus)!.IsOk);
    }
}
