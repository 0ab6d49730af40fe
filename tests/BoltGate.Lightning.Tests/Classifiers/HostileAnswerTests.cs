using System.Text;
using System.Text.Json;
using BoltGate.Core.Crypto;
using BoltGate.Core.Payments;
using BoltGate.Lightning.CoreLightning;
using BoltGate.Lightning.Lnd;

namespace BoltGate.Lightning.Tests.Classifiers;

/// <summary>
/// Answers of the wrong JSON shape from lnd or lightningd (a broken proxy, a plugin bug, a hostile
/// node): each is a documented failure (FormatException, JsonException, ClnTransportException) or an
/// Unknown outcome, never an InvalidOperationException escaping into the payment engine. Found by
/// tests/BoltGate.ParserFuzz (lnd-json, cln-json); the inputs sit in its corpus as finding-*.
/// </summary>
[Trait(Category.Name, Category.Unit)]
public sealed class HostileAnswerTests
{
    private static readonly Bytes32 Hash = Bytes32.Sha256(new byte[32]);

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    [Theory]
    [InlineData("""{"code":1e10,"message":"boom"}""", null, "boom")]
    [InlineData("""{"error":{"code":2.5,"message":"boom"}}""", null, "boom")]
    [InlineData("""{"code":2,"message":5}""", null, """{"code":2,"message":5}""")]
    [InlineData("""{"error":{"code":2,"message":{"x":1}}}""", null, """{"error":{"code":2,"message":{"x":1}}}""")]
    public void Lnd_error_with_a_code_or_message_of_the_wrong_type_is_kept_as_text(string body, int? code, string message)
    {
        var error = LndError.Parse(body);
        Assert.Equal(code, error.GrpcCode);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("1")]
    [InlineData("\"result\"")]
    public void Lnd_stream_line_that_is_not_an_object_is_a_format_error(string line)
    {
        Assert.Throws<FormatException>(() => LndRestClient.ParseStreamLine(line));
    }

    [Fact]
    public void Lnd_payment_with_an_htlc_that_is_not_an_object_counts_it_in_flight()
    {
        var (payment, _) = LndRestClient.ParseStreamLine("""{"result":{"status":"IN_FLIGHT","htlcs":[1,{"status":"FAILED"}]}}""");
        Assert.Equal(1, payment!.HtlcsInFlight);
        Assert.Equal(1, payment.HtlcsFailed);
        Assert.IsType<LndPaymentState.Pending>(LndOutcomeClassifier.Classify(payment));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":"x#1","error":{"code":1e10,"message":"boom"}}""", -1, "boom")]
    [InlineData("""{"jsonrpc":"2.0","id":"x#1","error":{"code":205,"message":5}}""", 205, "5")]
    [InlineData("""{"jsonrpc":"2.0","id":"x#1","error":{"code":205,"message":["a"]}}""", 205, """["a"]""")]
    public void Cln_error_with_a_code_or_message_of_the_wrong_type_still_reads(string message, int code, string text)
    {
        var response = ClnRpcTransport.ReadMessage(Encoding.UTF8.GetBytes(message), "x#1");
        Assert.Equal(code, response!.Error!.Code);
        Assert.Equal(text, response.Error.Message);
    }

    [Fact]
    public void Cln_message_with_broken_utf8_in_its_strings_still_reads()
    {
        // {"id":"x#1","result":{"status":"compl\x90te","pays":[{"status":"pend\xffing"}]}}
        var message = Encoding.UTF8.GetBytes("""{"id":"x#1","result":{"status":"complXte","pays":[{"status":"pendYing"}]}}""");
        message[Array.IndexOf(message, (byte)'X')] = 0x90;
        message[Array.IndexOf(message, (byte)'Y')] = 0xFF;
        var response = ClnRpcTransport.ReadMessage(message, "x#1");
        var result = response!.Result!.Value;
        Assert.Equal("compl\uFFFDte", result.GetProperty("status").GetString());
        Assert.IsType<PaymentOutcome.Unknown>(ClnOutcomeClassifier.FromPayResult(result, Hash));
        Assert.IsType<PaymentLookup.Found>(ClnOutcomeClassifier.FromListPays(result.GetProperty("pays")));
        var broken = Encoding.UTF8.GetBytes("""{"id":"x#Z","result":{}}""");
        broken[Array.IndexOf(broken, (byte)'Z')] = 0xC3;
        Assert.Null(ClnRpcTransport.ReadMessage(broken, "x#1")); // someone else's answer, id unreadable
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"id\":\"x#1\",\"result\":{}}]")]
    [InlineData("42")]
    public void Cln_message_that_is_not_an_object_is_a_transport_error(string message)
    {
        Assert.Throws<ClnTransportException>(() => ClnRpcTransport.ReadMessage(Encoding.UTF8.GetBytes(message), "x#1"));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"complete\"")]
    [InlineData("""{"status":5}""")]
    [InlineData("""{"status":null,"payment_preimage":"00"}""")]
    public void Cln_pay_result_of_the_wrong_shape_is_unknown(string result)
    {
        Assert.IsType<PaymentOutcome.Unknown>(ClnOutcomeClassifier.FromPayResult(Json(result), Hash));
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("""[{"status":"failed"},"complete"]""")]
    [InlineData("[[]]")]
    public void Cln_listpays_with_an_entry_that_is_not_an_object_is_unknown_never_failed(string entries)
    {
        var found = Assert.IsType<PaymentLookup.Found>(ClnOutcomeClassifier.FromListPays(Json(entries)));
        Assert.IsType<PaymentOutcome.Unknown>(found.Outcome);
    }
}
