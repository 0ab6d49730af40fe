using System.Text.Json;
using BoltGate.Core.Bitcoin;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Crypto;

namespace BoltGate.Core.Tests.Bolt11;

/// <summary>Every invoice in bolt11.json, decoded and compared field by field, or rejected for the stated reason.</summary>
[Trait(Category.Name, Category.Unit)]
public class Bolt11VectorTests
{
    public static TheoryData<string> AcceptedNames() => Bolt11Vectors.Names(Bolt11Vectors.Accepted);

    public static TheoryData<string> InvalidNames() => Bolt11Vectors.Names(Bolt11Vectors.Invalid);

    public static TheoryData<string> ReproducibleNames() => Bolt11Vectors.Names(Bolt11Vectors.Valid.Where(v =>
        v.TryGetProperty("encode", out var e) && e.GetProperty("reproduces_invoice_exactly").GetBoolean()));

    [Fact]
    public void The_vector_file_has_every_group_it_promises()
    {
        Assert.Equal(16, Bolt11Vectors.Root.GetProperty("valid").GetArrayLength());
        Assert.Equal(10, Bolt11Vectors.Root.GetProperty("invalid").GetArrayLength());
        Assert.Equal(27, Bolt11Vectors.Valid.Count());
        Assert.Equal(26, Bolt11Vectors.Accepted.Count());
        Assert.Equal(18, Bolt11Vectors.Invalid.Count());
    }

    [Theory]
    [MemberData(nameof(AcceptedNames))]
    public void Valid_vector_decodes_field_by_field(string name)
    {
        var vector = Bolt11Vectors.ByName(name);
        var e = vector.GetProperty("expected");
        var invoice = AssertOk(Bolt11Decoder.Decode(vector.GetProperty("invoice").GetString()));

        Assert.Equal(e.GetProperty("hrp").GetString(), invoice.HumanReadablePart);
        Assert.Equal(Network(e.GetProperty("network").GetString()!), invoice.Network);
        Assert.Equal(NullableLong(e, "amount_msat"), invoice.Amount?.Value);
        Assert.Equal(e.GetProperty("timestamp").GetInt64(), invoice.Timestamp.ToUnixTimeSeconds());
        Assert.Equal(e.GetProperty("payee_node_key").GetString(), invoice.PayeeHex);
        Assert.Equal(e.GetProperty("payee_node_key_source").GetString() == "n_field", invoice.PayeeFromNField);
        Assert.Equal(e.GetProperty("payment_hash").GetString(), invoice.PaymentHash.ToHex());
        Assert.Equal(e.GetProperty("payment_secret").GetString(), invoice.PaymentSecret?.ToHex());
        Assert.Equal(e.GetProperty("description").GetString(), invoice.Description);
        Assert.Equal(e.GetProperty("description_hash").GetString(), invoice.DescriptionHash?.ToHex());
        if (e.TryGetProperty("description_hash_preimage", out var preimage))
            Assert.Equal(Bytes32.Sha256(System.Text.Encoding.UTF8.GetBytes(preimage.GetString()!)), invoice.DescriptionHash);

        Assert.Equal(NullableLong(e, "expiry") is not null, invoice.HasExplicitExpiry);
        Assert.Equal(e.GetProperty("expiry_effective").GetInt64(), (long)invoice.Expiry.TotalSeconds);
        Assert.Equal(invoice.Timestamp.AddSeconds(e.GetProperty("expiry_effective").GetInt64()), invoice.ExpiresAt);
        Assert.Equal(e.GetProperty("min_final_cltv_expiry_effective").GetInt32(), invoice.MinFinalCltvExpiry);
        Assert.Equal(e.GetProperty("payment_metadata").GetString(), invoice.Metadata is null ? null : Hex.Lower(invoice.Metadata));

        var fallbacks = e.GetProperty("fallbacks").EnumerateArray().ToList();
        Assert.Equal(fallbacks.Count, invoice.Fallbacks.Count);
        for (var i = 0; i < fallbacks.Count; i++)
        {
            Assert.Equal(fallbacks[i].GetProperty("version").GetInt32(), invoice.Fallbacks[i].Version);
            Assert.Equal(fallbacks[i].GetProperty("program").GetString(), invoice.Fallbacks[i].ProgramHex);
            Assert.Equal(fallbacks[i].GetProperty("address").GetString(), invoice.Fallbacks[i].Address);
        }

        var hints = e.GetProperty("route_hints").EnumerateArray().ToList();
        Assert.Equal(hints.Count, invoice.RouteHints.Count);
        for (var i = 0; i < hints.Count; i++)
        {
            var hops = hints[i].EnumerateArray().ToList();
            Assert.Equal(hops.Count, invoice.RouteHints[i].Hops.Count);
            for (var j = 0; j < hops.Count; j++)
            {
                var hop = invoice.RouteHints[i].Hops[j];
                Assert.Equal(hops[j].GetProperty("pubkey").GetString(), hop.PubKeyHex);
                Assert.Equal(hops[j].GetProperty("short_channel_id").GetString(), hop.ShortChannelId.ToString("x16"));
                Assert.Equal(hops[j].GetProperty("short_channel_id_bxtxo").GetString(), hop.ShortChannelIdText);
                Assert.Equal(hops[j].GetProperty("fee_base_msat").GetUInt32(), hop.FeeBaseMsat);
                Assert.Equal(hops[j].GetProperty("fee_proportional_millionths").GetUInt32(), hop.FeeProportionalMillionths);
                Assert.Equal(hops[j].GetProperty("cltv_expiry_delta").GetUInt16(), hop.CltvExpiryDelta);
            }
        }

        if (e.GetProperty("features").ValueKind == JsonValueKind.Null)
        {
            Assert.Null(invoice.Features);
            Assert.Empty(invoice.FeatureBits);
        }
        else
        {
            var features = e.GetProperty("features");
            Assert.Equal(features.GetProperty("bits").EnumerateArray().Select(b => b.GetInt32()), invoice.FeatureBits);
            Assert.Equal(features.GetProperty("feature_vector_hex").GetString(), Hex.Lower(invoice.Features!.Value.Span));
        }

        var signature = e.GetProperty("signature");
        Assert.Equal(signature.GetProperty("r").GetString() + signature.GetProperty("s").GetString(), Hex.Lower(invoice.Signature));
        Assert.Equal(signature.GetProperty("recovery_id").GetInt32(), invoice.RecoveryId);
        Assert.Equal(e.GetProperty("signing_hash").GetString(), invoice.SigningHash.ToHex());
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Invalid_vector_is_rejected_for_its_reason(string name)
    {
        var vector = Bolt11Vectors.ByName(name);
        var expected = ExpectedCode(vector.GetProperty("reason_code").GetString()!);
        var result = Bolt11Decoder.Decode(vector.GetProperty("invoice").GetString());
        var error = Assert.IsType<Bolt11DecodeResult.Error>(result);
        Assert.Equal(expected, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Contested_fields_to_ignore_example_is_rejected_by_the_strict_reader()
    {
        var vector = Bolt11Vectors.ByName("coffee_beans_fields_to_ignore");
        Assert.StartsWith("reject", vector.GetProperty("contested").GetProperty("strict_reader_result").GetString());
        var error = Assert.IsType<Bolt11DecodeResult.Error>(Bolt11Decoder.Decode(vector.GetProperty("invoice").GetString()));
        Assert.Equal(Bolt11ErrorCode.BadFieldLength, error.Code);
    }

    [Fact]
    public void High_s_without_n_is_accepted_and_recovers_with_the_transmitted_id()
    {
        var invoice = AssertOk(Bolt11Decoder.Decode(Bolt11Vectors.ByName("high_s_public_key_recovery").GetProperty("invoice").GetString()));
        Assert.Equal("02d0139ce7427d6dfffd26a326c18be754ef1e64672b42694ba5b23ef6e6e7803d", invoice.PayeeHex);
        Assert.NotEqual(Bolt11Vectors.NodeIdHex, invoice.PayeeHex);
    }

    [Theory]
    [MemberData(nameof(ReproducibleNames))]
    public void Resigning_the_spec_data_with_the_spec_key_reproduces_the_invoice(string name)
    {
        var text = Bolt11Vectors.ByName(name).GetProperty("invoice").GetString()!.ToLowerInvariant();
        Assert.Equal(Bech32Error.None, Bech32.Decode(text, 8192, out var hrp, out var data));
        var unsigned = data.AsSpan(0, data.Length - 104);
        Assert.Equal(text, Bolt11Encoder.Sign(hrp, unsigned, Hex.Decode(Bolt11Vectors.PrivateKeyHex)));
    }

    [Fact]
    public void Spec_key_gives_the_spec_node_id()
    {
        Assert.Equal(Bolt11Vectors.NodeIdHex, Hex.Lower(Bolt11Encoder.PublicKeyOf(Hex.Decode(Bolt11Vectors.PrivateKeyHex))));
    }

    [Theory]
    [InlineData("lightning:")]
    [InlineData("LIGHTNING:")]
    [InlineData("Lightning:")]
    public void Lightning_uri_prefix_is_stripped_in_any_case(string prefix)
    {
        var raw = Bolt11Vectors.ByName("coffee_2500u_expiry60").GetProperty("invoice").GetString()!;
        var invoice = AssertOk(Bolt11Decoder.Decode(prefix + raw));
        Assert.Equal(raw, invoice.Raw);
        Assert.Equal(250_000_000, invoice.Amount!.Value.Value);
    }

    [Fact]
    public void Lightning_double_slash_form_is_not_a_lightning_uri()
    {
        var raw = Bolt11Vectors.ByName("coffee_2500u_expiry60").GetProperty("invoice").GetString()!;
        var error = Assert.IsType<Bolt11DecodeResult.Error>(Bolt11Decoder.Decode("lightning://" + raw));
        Assert.Equal(Bolt11ErrorCode.BadChecksum, error.Code); // "//" lands in the hrp, which the checksum covers
    }

    [Fact]
    public void Upper_case_invoice_behind_an_upper_case_prefix_decodes()
    {
        var raw = Bolt11Vectors.ByName("coffee_beans_upper_case").GetProperty("invoice").GetString()!;
        Assert.Equal(raw.ToUpperInvariant(), raw);
        var invoice = AssertOk(Bolt11Decoder.Decode("LIGHTNING:" + raw));
        Assert.Equal("lnbc25m", invoice.HumanReadablePart);
    }

    [Theory]
    [InlineData(null, Bolt11ErrorCode.Empty)]
    [InlineData("", Bolt11ErrorCode.Empty)]
    [InlineData("lightning:", Bolt11ErrorCode.Empty)]
    [InlineData("lnbc1", Bolt11ErrorCode.BadBech32)]
    [InlineData("lnbc1qqqqqq", Bolt11ErrorCode.BadChecksum)]
    [InlineData("lnbc 1qqqqqq", Bolt11ErrorCode.InvalidCharacter)]
    public void Degenerate_input_is_an_error_value(string? input, Bolt11ErrorCode code)
    {
        var error = Assert.IsType<Bolt11DecodeResult.Error>(Bolt11Decoder.Decode(input));
        Assert.Equal(code, error.Code);
    }

    internal static Bolt11Invoice AssertOk(Bolt11DecodeResult result)
    {
        if (result is Bolt11DecodeResult.Error error)
            Assert.Fail($"Expected a decoded invoice, got {error.Code}: {error.Message}");
        return Assert.IsType<Bolt11DecodeResult.Ok>(result).Invoice;
    }

    private static long? NullableLong(JsonElement e, string property) =>
        e.GetProperty(property).ValueKind == JsonValueKind.Null ? null : e.GetProperty(property).GetInt64();

    private static BitcoinNetwork Network(string name) => name switch
    {
        "bitcoin" => BitcoinNetwork.Mainnet,
        "testnet" => BitcoinNetwork.Testnet,
        "signet" => BitcoinNetwork.Signet,
        "regtest" => BitcoinNetwork.Regtest,
        _ => throw new InvalidOperationException("Unknown network in vector: " + name),
    };

    private static Bolt11ErrorCode ExpectedCode(string reasonCode) => reasonCode switch
    {
        "unknown_even_feature_bit" => Bolt11ErrorCode.UnknownRequiredFeature,
        "bad_checksum" => Bolt11ErrorCode.BadChecksum,
        "no_separator" => Bolt11ErrorCode.NoSeparator,
        "mixed_case" => Bolt11ErrorCode.MixedCase,
        "signature_not_recoverable" => Bolt11ErrorCode.SignatureNotRecoverable,
        "too_short" => Bolt11ErrorCode.TooShort,
        "invalid_multiplier" => Bolt11ErrorCode.BadAmount,
        "sub_millisatoshi_amount" => Bolt11ErrorCode.SubMillisatoshi,
        "missing_payment_secret" => Bolt11ErrorCode.MissingPaymentSecret,
        "high_s_with_n_field" => Bolt11ErrorCode.HighS,
        "both_d_and_h" => Bolt11ErrorCode.BothDescriptionAndHash,
        "no_description" => Bolt11ErrorCode.MissingDescription,
        "fixed_field_wrong_length" => Bolt11ErrorCode.BadFieldLength,
        "duplicate_payment_hash" => Bolt11ErrorCode.DuplicatePaymentHash,
        "signature_does_not_match_n" => Bolt11ErrorCode.PayeeMismatch,
        "non_minimal_field" => Bolt11ErrorCode.NonMinimalField,
        "invalid_recovery_id" => Bolt11ErrorCode.InvalidRecoveryId,
        _ => throw new InvalidOperationException("No mapping for reason_code " + reasonCode),
    };
}
