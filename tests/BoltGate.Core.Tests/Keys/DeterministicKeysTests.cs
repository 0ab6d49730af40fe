using System.Text.Json;
using BoltGate.Core.Crypto;
using BoltGate.Core.Keys;
using BoltGate.Core.Sun;

namespace BoltGate.Core.Tests.Keys;

[Trait(Category.Name, Category.Unit)]
public class DeterministicKeysTests
{
    private static readonly JsonElement Vector = LoadVector();

    private static byte[] IssuerKey => Hex.Decode(Vector.GetProperty("issuer_key").GetString()!);

    private static CardUid Uid => CardUid.Parse(Vector.GetProperty("uid").GetString()!);

    private static uint Version => Vector.GetProperty("version").GetUInt32();

    private static string Expected(string name) => Vector.GetProperty("expected").GetProperty(name).GetString()!;

    [Fact]
    public void Official_vector_derives_every_key_and_the_id()
    {
        var keys = DeterministicKeys.Derive(IssuerKey, Uid, Version);

        Assert.Equal(Expected("K0"), keys.K0.ToHex());
        Assert.Equal(Expected("K1"), keys.K1.ToHex());
        Assert.Equal(Expected("K2"), keys.K2.ToHex());
        Assert.Equal(Expected("K3"), keys.K3.ToHex());
        Assert.Equal(Expected("K4"), keys.K4.ToHex());
        Assert.Equal(Expected("K1"), Hex.Lower(DeterministicKeys.K1(IssuerKey)));
        Assert.Equal(Expected("ID"), Hex.Lower(DeterministicKeys.CardId(IssuerKey, Uid)));
        Assert.Equal(Expected("CardKey"), Hex.Lower(DeterministicKeys.CardKey(IssuerKey, Uid, Version)));

        var k2 = new byte[16];
        DeterministicKeys.K2(IssuerKey, Uid, Version, k2);
        Assert.Equal(Expected("K2"), Hex.Lower(k2));
    }

    [Fact]
    public void Version_and_uid_change_the_card_keys_but_not_k1()
    {
        var v1 = DeterministicKeys.Derive(IssuerKey, Uid, 1);
        var v2 = DeterministicKeys.Derive(IssuerKey, Uid, 2);
        var other = DeterministicKeys.Derive(IssuerKey, CardUid.Parse("04a39493cc8681"), 1);

        Assert.Equal(v1, DeterministicKeys.Derive(IssuerKey, Uid, 1));
        Assert.NotEqual(v1.K2, v2.K2);
        Assert.NotEqual(v1.K0, v2.K0);
        Assert.NotEqual(v1.K2, other.K2);
        Assert.Equal(v1.K1, v2.K1);
        Assert.Equal(v1.K1, other.K1);
    }

    [Fact]
    public void A_tap_from_a_deterministically_keyed_card_verifies()
    {
        var keys = DeterministicKeys.Derive(IssuerKey, Uid, Version);
        var (p, c) = SunGenerator.Create(keys.K1.Span, keys.K2.Span, Uid, 42);
        var k1 = new AesKey(DeterministicKeys.K1(IssuerKey));
        Assert.True(SunTap.TryParse(p, c, out var tap));
        Assert.True(SunVerifier.TryDecryptPicc(k1, tap, out var uid, out var counter));
        var k2 = new byte[16];
        DeterministicKeys.K2(IssuerKey, uid, Version, k2);
        Assert.True(SunVerifier.VerifyMac(k2, uid, counter, tap));
        Assert.Equal(42u, counter);
    }

    [Fact]
    public void Keys_never_show_in_text()
    {
        var keys = DeterministicKeys.Derive(IssuerKey, Uid, Version);
        var text = keys.ToString() + keys.K0 + keys.K2 + $"{keys.K1}";
        foreach (var name in new[] { "K0", "K1", "K2", "K3", "K4" })
            Assert.DoesNotContain(Expected(name)[..8], text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("redacted", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Derivation_does_not_mutate_the_issuer_key()
    {
        var issuer = IssuerKey;
        var copy = issuer.ToArray();
        DeterministicKeys.Derive(issuer, Uid, Version);
        DeterministicKeys.CardId(issuer, Uid);
        DeterministicKeys.K1(issuer);
        DeterministicKeys.K2(issuer, Uid, Version, new byte[16]);
        Assert.Equal(copy, issuer);
    }

    [Fact]
    public void Key128_equality_and_parsing()
    {
        Assert.True(Key128.TryParseHex(Expected("K0"), out var k0));
        Assert.True(Key128.TryParseHex(Expected("K0").ToUpperInvariant(), out var k0Upper));
        Assert.Equal(k0, k0Upper);
        Assert.Equal(k0.GetHashCode(), k0Upper.GetHashCode());
        Assert.NotEqual(k0, Key128.FromSpan(new byte[16]));
        Assert.False(Key128.TryParseHex(Expected("K0")[1..], out _));
        Assert.Throws<ArgumentException>(() => Key128.FromSpan(new byte[15]));
    }

    private static JsonElement LoadVector()
    {
        using var doc = JsonDocument.Parse(SharedFiles.ReadVector("deterministic-keys.json"));
        return doc.RootElement.GetProperty("vectors")[0].Clone();
    }
}
