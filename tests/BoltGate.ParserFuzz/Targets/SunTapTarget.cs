using BoltGate.Core.Crypto;
using BoltGate.Core.Sun;
using static BoltGate.ParserFuzz.FuzzTargets;

namespace BoltGate.ParserFuzz;

/// <summary>
/// A tap's <c>p</c> and <c>c</c> (input: p, a newline, c). <see cref="SunTap.TryParse"/> and
/// <see cref="SunVerifier.Verify(ReadOnlySpan{byte}, ReadOnlySpan{byte}, string?, string?)"/> document
/// "hostile p/c never throw". Also: a parsed tap prints back as the input (upper case), both Verify
/// overloads agree, and a tap generated from the bytes (UID, counter, padding) verifies to them.
/// </summary>
internal static class SunTapTarget
{
    // boltcard docs/TEST_VECTORS.md #1 (shared/vectors/sun-taps.json).
    private static readonly byte[] K1 = Convert.FromHexString("0c3b25d92b38ae443229dd59ad34b85d");
    private static readonly byte[] K2 = Convert.FromHexString("b45775776cb224c75bcde7ca3704e933");
    private static readonly Lazy<AesKey> K1Prepared = new(() => new AesKey(K1)); // not before Fuzzer.Run

    public static FuzzTarget Target { get; } = new("sun-tap",
        "SunTap.TryParse, SunVerifier.Verify (both overloads), CardUid.TryParse, SunGenerator round trip", Check);

    private static void Check(byte[] input)
    {
        var text = FuzzTarget.Text(input);
        var nl = text.IndexOf('\n');
        var p = nl < 0 ? text : text[..nl];
        string? c = nl < 0 ? null : text[(nl + 1)..];

        if (SunTap.TryParse(p, c, out var tap))
        {
            Require(tap.P == p.ToUpperInvariant() && tap.C == c!.ToUpperInvariant(), "a parsed tap prints back as its p and c");
            if (SunVerifier.TryDecryptPicc(K1, tap, out var uid, out var counter))
                Require(counter <= SunMac.MaxCounter, "a decrypted counter is 24 bits");
            _ = SunVerifier.VerifyMac(K2, uid, counter, tap);
        }

        var raw = SunVerifier.Verify(K1, K2, p, c);
        var prepared = SunVerifier.Verify(K1Prepared.Value, K2, p, c);
        Require(raw == prepared, "both Verify overloads agree");
        Require(raw.IsVerified == raw.Rejection is null, "verified exactly when there is no rejection");

        if (CardUid.TryParse(p, out var parsedUid))
            Require(parsedUid.Hex == p.ToLowerInvariant(), "a parsed UID prints back as its hex");

        // The card's side from the bytes, then the reader's side: the UID and counter come back.
        if (input.Length >= CardUid.Length + 3 + SunGenerator.PaddingLength)
        {
            var genUid = CardUid.FromBytes(input.AsSpan(0, CardUid.Length));
            var genCounter = (uint)(input[7] | (input[8] << 8) | (input[9] << 16));
            var (gp, gc) = SunGenerator.Create(K1, K2, genUid, genCounter, input.AsSpan(10, SunGenerator.PaddingLength));
            var result = SunVerifier.Verify(K1, K2, gp, gc);
            Require(result.IsVerified && result.Uid == genUid && result.Counter == genCounter, "a generated tap verifies to its UID and counter");
            Require(SunVerifier.Verify(K1, K2, gp, gc.ToLowerInvariant()).IsVerified, "lower-case c verifies too");
        }
    }
}
