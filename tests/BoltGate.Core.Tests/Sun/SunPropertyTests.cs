using BoltGate.Core.Crypto;
using BoltGate.Core.Sun;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace BoltGate.Core.Tests.Sun;

[Trait(Category.Name, Category.Unit)]
public class SunPropertyTests
{
    [Property(MaxTest = 500)]
    public Property Create_then_verify_round_trips() =>
        Prop.ForAll(Arb.From(SunGen.Tap), t =>
        {
            var (p, c) = SunGenerator.Create(t.K1, t.K2, t.Uid, t.Counter, t.Padding);
            return p.Length == 32 && c.Length == 16
                && p == p.ToUpperInvariant() && c == c.ToUpperInvariant()
                && SunVerifier.Verify(t.K1, t.K2, p, c) == SunResult.Verified(t.Uid, t.Counter)
                && SunVerifier.Verify(new AesKey(t.K1), t.K2, p, c) == SunResult.Verified(t.Uid, t.Counter);
        });

    [Property(MaxTest = 300)]
    public Property Random_padding_still_round_trips_and_changes_p() =>
        Prop.ForAll(Arb.From(SunGen.Tap), t =>
        {
            var first = SunGenerator.Create(t.K1, t.K2, t.Uid, t.Counter);
            var second = SunGenerator.Create(t.K1, t.K2, t.Uid, t.Counter);
            return SunVerifier.Verify(t.K1, t.K2, first.P, first.C).IsVerified
                && first.P != second.P // 2^-40 chance of a false failure
                && first.C == second.C;
        });

    [Property(MaxTest = 300)]
    public Property Any_single_flipped_bit_of_p_or_c_is_rejected() =>
        Prop.ForAll(Arb.From(SunGen.Tap), Arb.From(Gen.Choose(0, 24 * 8 - 1)), (t, bit) =>
        {
            var (p, c) = SunGenerator.Create(t.K1, t.K2, t.Uid, t.Counter, t.Padding);
            var bytes = Hex.Decode(p + c);
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            var result = SunVerifier.Verify(t.K1, t.K2, Hex.Upper(bytes[..16]), Hex.Upper(bytes[16..]));
            // A flipped c bit keeps PICCData intact, so it must be a MAC failure. A flipped p bit
            // scrambles PICCData: almost always the tag breaks, and if not, the MAC does.
            return bit >= 128
                ? result == SunResult.Rejected(SunRejection.BadMac)
                : !result.IsVerified && result.Rejection is SunRejection.NotBoltcard or SunRejection.BadMac;
        });

    [Fact]
    public void Every_single_bit_flip_of_a_real_card_tap_is_rejected()
    {
        var v = SunVectors.ValidTaps[0];
        var (k1, k2) = (Hex.Decode(v.K1), Hex.Decode(v.K2));
        var original = Hex.Decode(v.P + v.C);
        for (var bit = 0; bit < original.Length * 8; bit++)
        {
            var bytes = original.ToArray();
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            var result = SunVerifier.Verify(k1, k2, Hex.Upper(bytes[..16]), Hex.Upper(bytes[16..]));
            Assert.False(result.IsVerified, $"bit {bit} flipped was accepted");
        }
    }

    [Property(MaxTest = 300)]
    public Property Wrong_k2_is_a_bad_mac_and_wrong_k1_is_not_a_boltcard() =>
        Prop.ForAll(Arb.From(SunGen.Tap), Arb.From(SunGen.Bytes(16)), (t, other) =>
        {
            var (p, c) = SunGenerator.Create(t.K1, t.K2, t.Uid, t.Counter, t.Padding);
            var wrongK2 = other.AsSpan().SequenceEqual(t.K2) || SunVerifier.Verify(t.K1, other, p, c) == SunResult.Rejected(SunRejection.BadMac);
            var wrongK1 = SunVerifier.Verify(other, t.K2, p, c);
            // A foreign K1 yields tag C7 with probability 1/256; the MAC then fails instead.
            return wrongK2 && (other.AsSpan().SequenceEqual(t.K1) || !wrongK1.IsVerified);
        });

    [Property(MaxTest = 2000)]
    public Property Hostile_strings_never_throw_and_are_malformed_unless_exact_hex() =>
        Prop.ForAll(Arb.From(SunGen.HostileString), Arb.From(SunGen.HostileString), (p, c) =>
        {
            var parsed = SunTap.TryParse(p, c, out _);
            var result = SunVerifier.Verify(new byte[16], new byte[16], p, c);
            var exact = IsHex(p, 32) && IsHex(c, 16);
            return parsed == exact && (exact || result == SunResult.Rejected(SunRejection.Malformed))
                && CardUid.TryParse(p, out _) == IsHex(p, 14);
        });

    [Property(MaxTest = 300)]
    public Property Verify_and_create_do_not_mutate_their_inputs() =>
        Prop.ForAll(Arb.From(SunGen.Tap), t =>
        {
            var (k1, k2, padding) = (t.K1.ToArray(), t.K2.ToArray(), t.Padding.ToArray());
            var (p, c) = SunGenerator.Create(t.K1, t.K2, t.Uid, t.Counter, t.Padding);
            SunVerifier.Verify(t.K1, t.K2, p, c);
            SunTap.TryParse(p, c, out var tap);
            var tapBytes = tap.EncryptedPicc.ToArray().Concat(tap.Mac.ToArray()).ToArray();
            SunVerifier.TryDecryptPicc(t.K1, tap, out var uid, out var counter);
            SunVerifier.VerifyMac(t.K2, uid, counter, tap);
            return k1.SequenceEqual(t.K1) && k2.SequenceEqual(t.K2) && padding.SequenceEqual(t.Padding)
                && tapBytes.SequenceEqual(tap.EncryptedPicc.ToArray().Concat(tap.Mac.ToArray()));
        });

    [Fact]
    public void Counter_above_24_bits_and_bad_key_lengths_are_bugs_that_throw()
    {
        var uid = CardUid.Parse("04996c6a926980");
        Assert.Throws<ArgumentOutOfRangeException>(() => SunGenerator.Create(new byte[16], new byte[16], uid, 0x1000000));
        Assert.Throws<ArgumentException>(() => SunGenerator.Create(new byte[16], new byte[16], uid, 1, new byte[4]));
        Assert.Throws<ArgumentException>(() => SunVerifier.Verify(new byte[15], new byte[16], "", ""));
        Assert.Throws<ArgumentException>(() => SunVerifier.Verify(new byte[16], new byte[17], "", ""));
    }

    private static bool IsHex(string? s, int length) =>
        s is not null && s.Length == length && s.All(char.IsAsciiHexDigit);
}
