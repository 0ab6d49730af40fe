using BoltGate.Core.Bitcoin;
using BoltGate.Core.Bolt11;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;

namespace BoltGate.Core.Tests.Bolt11;

/// <summary>Invoices written by <see cref="Bolt11Encoder"/> decode to exactly what was asked for.</summary>
[Trait(Category.Name, Category.Unit)]
public class Bolt11RoundTripTests
{
    private static readonly byte[] SpecKey = Hex.Decode(Bolt11Vectors.PrivateKeyHex);

    [Fact]
    public void Random_requests_round_trip_through_encode_and_decode()
    {
        var random = new Random(20260323);
        for (var i = 0; i < 600; i++)
        {
            var key = RandomKey(random);
            var request = RandomRequest(random);
            var text = Bolt11Encoder.Encode(request, key);

            Assert.Equal(text.ToLowerInvariant(), text);
            var invoice = Bolt11VectorTests.AssertOk(Bolt11Decoder.Decode(text));
            AssertMatches(request, invoice, Bolt11Encoder.PublicKeyOf(key));

            // The same invoice upper-cased (QR form) decodes to the same values.
            var upper = Bolt11VectorTests.AssertOk(Bolt11Decoder.Decode(text.ToUpperInvariant()));
            Assert.Equal(invoice.PaymentHash, upper.PaymentHash);
            Assert.Equal(invoice.PayeeHex, upper.PayeeHex);
        }
    }

    [Theory]
    [InlineData(1L, "lnbc10p")]
    [InlineData(10L, "lnbc100p")]
    [InlineData(100L, "lnbc1n")]
    [InlineData(250_000_000L, "lnbc2500u")]
    [InlineData(2_000_000_000L, "lnbc20m")]
    [InlineData(100_000_000_000L, "lnbc1")]
    [InlineData(100_000_000_000_000L, "lnbc1000")]
    [InlineData(123_456_789L, "lnbc1234567890p")]
    public void Amount_is_written_with_the_shortest_multiplier(long msat, string expectedHrp)
    {
        var text = Bolt11Encoder.Encode(Request(BitcoinNetwork.Mainnet, new Msat(msat)), SpecKey);
        Assert.StartsWith(expectedHrp + "1", text, StringComparison.Ordinal);
        Assert.Equal(msat, Bolt11VectorTests.AssertOk(Bolt11Decoder.Decode(text)).Amount!.Value.Value);
    }

    [Theory]
    [InlineData(BitcoinNetwork.Mainnet, "lnbc")]
    [InlineData(BitcoinNetwork.Testnet, "lntb")]
    [InlineData(BitcoinNetwork.Signet, "lntbs")]
    [InlineData(BitcoinNetwork.Regtest, "lnbcrt")]
    public void Network_prefix_round_trips_including_no_amount(BitcoinNetwork network, string prefix)
    {
        var text = Bolt11Encoder.Encode(Request(network, null), SpecKey);
        Assert.StartsWith(prefix + "1", text, StringComparison.Ordinal);
        var invoice = Bolt11VectorTests.AssertOk(Bolt11Decoder.Decode(text));
        Assert.Equal(network, invoice.Network);
        Assert.Null(invoice.Amount);
    }

    [Fact]
    public void Encoder_with_n_field_is_verified_against_it()
    {
        var text = Bolt11Encoder.Encode(Request(BitcoinNetwork.Regtest, new Msat(5000)) with { IncludePayeeKey = true }, SpecKey);
        var invoice = Bolt11VectorTests.AssertOk(Bolt11Decoder.Decode(text));
        Assert.True(invoice.PayeeFromNField);
        Assert.Equal(Bolt11Vectors.NodeIdHex, invoice.PayeeHex);
    }

    // Found by tests/BoltGate.ParserFuzz (bolt11-encode): 0 was written as one zero group, which the
    // reader rejects as non-minimal, so the gateway could mint invoices nobody (itself included) accepts.
    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 18)]
    [InlineData(3600, 0)]
    public void Zero_expiry_and_zero_cltv_are_written_minimally_and_read_back(int expirySeconds, int cltv)
    {
        var request = Request(BitcoinNetwork.Mainnet, new Msat(1000)) with { Expiry = TimeSpan.FromSeconds(expirySeconds), MinFinalCltvExpiry = cltv };
        var invoice = Bolt11VectorTests.AssertOk(Bolt11Decoder.Decode(Bolt11Encoder.Encode(request, SpecKey)));
        Assert.Equal(TimeSpan.FromSeconds(expirySeconds), invoice.Expiry);
        Assert.True(invoice.HasExplicitExpiry);
        Assert.Equal(cltv, invoice.MinFinalCltvExpiry);
    }

    [Fact]
    public void Expiry_and_deadline_follow_the_timestamp()
    {
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var request = Request(BitcoinNetwork.Mainnet, new Msat(1000)) with { Timestamp = timestamp, Expiry = TimeSpan.FromSeconds(90) };
        var invoice = Bolt11VectorTests.AssertOk(Bolt11Decoder.Decode(Bolt11Encoder.Encode(request, SpecKey)));
        Assert.Equal(timestamp.AddSeconds(90), invoice.ExpiresAt);
        Assert.False(invoice.IsExpiredAt(timestamp.AddSeconds(89)));
        Assert.True(invoice.IsExpiredAt(timestamp.AddSeconds(90)));

        var noExpiry = Bolt11VectorTests.AssertOk(Bolt11Decoder.Decode(Bolt11Encoder.Encode(request with { Expiry = null }, SpecKey)));
        Assert.Equal(TimeSpan.FromHours(1), noExpiry.Expiry);
        Assert.False(noExpiry.HasExplicitExpiry);
    }

    [Fact]
    public void Maximum_description_fits_and_one_byte_more_is_refused()
    {
        var max = new string('a', Bolt11Encoder.MaxFieldBytes);
        var invoice = Bolt11VectorTests.AssertOk(Bolt11Decoder.Decode(Bolt11Encoder.Encode(Request(BitcoinNetwork.Mainnet, null) with { Description = max }, SpecKey)));
        Assert.Equal(max, invoice.Description);
        Assert.Throws<ArgumentException>(() => Bolt11Encoder.Encode(Request(BitcoinNetwork.Mainnet, null) with { Description = max + "a" }, SpecKey));
    }

    [Fact]
    public void Encoder_refuses_malformed_requests_without_echoing_the_key()
    {
        var request = Request(BitcoinNetwork.Mainnet, new Msat(1000));
        Assert.Throws<ArgumentException>(() => Bolt11Encoder.Encode(request with { Description = null }, SpecKey));
        Assert.Throws<ArgumentException>(() => Bolt11Encoder.Encode(request with { DescriptionHash = Bytes32.Sha256([1]) }, SpecKey));
        Assert.Throws<ArgumentException>(() => Bolt11Encoder.Encode(request with { Amount = Msat.Zero }, SpecKey));
        Assert.Throws<ArgumentException>(() => Bolt11Encoder.Encode(request with { Expiry = TimeSpan.FromMilliseconds(1500) }, SpecKey));
        var badKey = new byte[32]; // zero is not a valid secp256k1 key
        var ex = Assert.Throws<ArgumentException>(() => Bolt11Encoder.Encode(request, badKey));
        Assert.DoesNotContain(Bolt11Vectors.PrivateKeyHex, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<ArgumentException>(() => Bolt11Encoder.PublicKeyOf(new byte[31]));
    }

    [Fact]
    public void Invoice_from_another_key_reports_that_key_as_payee()
    {
        var otherKey = RandomKey(new Random(7));
        var invoice = Bolt11VectorTests.AssertOk(Bolt11Decoder.Decode(Bolt11Encoder.Encode(Request(BitcoinNetwork.Mainnet, new Msat(1000)), otherKey)));
        Assert.NotEqual(Bolt11Vectors.NodeIdHex, invoice.PayeeHex);
        Assert.Equal(Hex.Lower(Bolt11Encoder.PublicKeyOf(otherKey)), invoice.PayeeHex);
    }

    private static Bolt11InvoiceRequest Request(BitcoinNetwork network, Msat? amount) => new(
        network, amount, DateTimeOffset.FromUnixTimeSeconds(1_496_314_658),
        Bytes32.Sha256("preimage"u8), Bytes32.ParseHex(new string('1', 64)), Description: "coffee");

    private static void AssertMatches(Bolt11InvoiceRequest request, Bolt11Invoice invoice, byte[] payee)
    {
        Assert.Equal(request.Network, invoice.Network);
        Assert.Equal(request.Amount, invoice.Amount);
        Assert.Equal(request.Timestamp, invoice.Timestamp);
        Assert.Equal(request.PaymentHash, invoice.PaymentHash);
        Assert.Equal(request.PaymentSecret, invoice.PaymentSecret);
        Assert.Equal(request.Description, invoice.Description);
        Assert.Equal(request.DescriptionHash, invoice.DescriptionHash);
        Assert.Equal(request.Expiry ?? TimeSpan.FromHours(1), invoice.Expiry);
        Assert.Equal(request.Timestamp + (request.Expiry ?? TimeSpan.FromHours(1)), invoice.ExpiresAt);
        Assert.Equal(request.MinFinalCltvExpiry, invoice.MinFinalCltvExpiry);
        Assert.Equal(payee, invoice.PayeePubKey);
        Assert.Equal(request.IncludePayeeKey, invoice.PayeeFromNField);
        Assert.Equal(request.Metadata, invoice.Metadata);
        Assert.Equal((request.FeatureBits ?? []).Order(), invoice.FeatureBits);
        var hints = request.RouteHints ?? [];
        Assert.Equal(hints.Count, invoice.RouteHints.Count);
        for (var i = 0; i < hints.Count; i++)
        {
            Assert.Equal(hints[i].Hops.Count, invoice.RouteHints[i].Hops.Count);
            for (var j = 0; j < hints[i].Hops.Count; j++)
            {
                var (want, got) = (hints[i].Hops[j], invoice.RouteHints[i].Hops[j]);
                Assert.Equal(want.PubKey, got.PubKey);
                Assert.Equal((want.ShortChannelId, want.FeeBaseMsat, want.FeeProportionalMillionths, want.CltvExpiryDelta),
                    (got.ShortChannelId, got.FeeBaseMsat, got.FeeProportionalMillionths, got.CltvExpiryDelta));
            }
        }
    }

    internal static byte[] RandomKey(Random random)
    {
        var key = new byte[32];
        random.NextBytes(key);
        key[0] &= 0x7f; // below the curve order; zero is astronomically unlikely
        return key;
    }

    private static Bolt11InvoiceRequest RandomRequest(Random random)
    {
        var network = (BitcoinNetwork)random.Next(4);
        Msat? amount = random.Next(5) switch
        {
            0 => null,
            1 => new Msat(random.NextInt64(1, 1000)),
            2 => new Msat(random.NextInt64(1, 100_000) * 1000),
            3 => new Msat(random.NextInt64(1, 2_100_000_000_000_000_000L)),
            _ => new Msat(random.NextInt64(1, 21) * Msat.MsatPerBtc),
        };
        var useHash = random.Next(4) == 0;
        var description = useHash ? null : RandomText(random, random.Next(0, 150));
        var features = random.Next(3) switch
        {
            0 => null,
            1 => (IReadOnlyList<int>)[8, 14],
            _ => [8, 14, 17, 25, 49, 101],
        };
        var hints = Enumerable.Range(0, random.Next(3)).Select(_ => new RouteHint(
            Enumerable.Range(0, random.Next(1, 4)).Select(_ => new RouteHintHop(
                Bolt11Encoder.PublicKeyOf(RandomKey(random)),
                (ulong)random.NextInt64(),
                (uint)random.Next(),
                (uint)random.Next(),
                (ushort)random.Next(ushort.MaxValue + 1))).ToList())).ToList();
        byte[]? metadata = random.Next(4) == 0 ? RandomBytes(random, random.Next(0, 64)) : null;
        var request = new Bolt11InvoiceRequest(
            network,
            amount,
            DateTimeOffset.FromUnixTimeSeconds(random.NextInt64(0, 1L << 35)),
            Bytes32.FromSpan(RandomBytes(random, 32)),
            Bytes32.FromSpan(RandomBytes(random, 32)),
            description,
            useHash ? Bytes32.FromSpan(RandomBytes(random, 32)) : null,
            random.Next(3) == 0 ? null : TimeSpan.FromSeconds(random.NextInt64(0, 100_000_000)),
            random.Next(0, 100_000),
            features,
            hints,
            metadata,
            random.Next(2) == 0);
        // The encoder fills in the default feature set when none is given; compare against what it writes.
        return request.FeatureBits is null
            ? request with { FeatureBits = metadata is null ? Bolt11Features.Default : [.. Bolt11Features.Default, Bolt11Features.PaymentMetadata + 1] }
            : request;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomText(Random random, int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?€ナンセンス杯🙂\"'<>&";
        var chars = new System.Text.StringBuilder();
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(alphabet);
        var pieces = new List<string>();
        while (elements.MoveNext())
            pieces.Add((string)elements.Current);
        for (var i = 0; i < length; i++)
            chars.Append(pieces[random.Next(pieces.Count)]);
        return chars.ToString();
    }
}
