using BoltGate.Core.Crypto;

namespace BoltGate.Nfc.Ntag424;

/// <summary>The EV2 session keys derived from RndA and RndB after an AES authentication.</summary>
public sealed record SessionKeys(byte[] Enc, byte[] Mac)
{
    public static SessionKeys Derive(ReadOnlySpan<byte> key, ReadOnlySpan<byte> rndA, ReadOnlySpan<byte> rndB)
    {
        if (rndA.Length != 16 || rndB.Length != 16)
            throw new ArgumentException("RndA and RndB are 16 bytes.");
        Span<byte> sv = stackalloc byte[32];
        // ctx = RndA[0..1] || (RndA[2..7] ^ RndB[0..5]) || RndB[6..15] || RndA[8..15]
        rndA[..2].CopyTo(sv[6..]);
        for (var i = 0; i < 6; i++)
            sv[8 + i] = (byte)(rndA[2 + i] ^ rndB[i]);
        rndB[6..16].CopyTo(sv[14..]);
        rndA[8..16].CopyTo(sv[24..]);
        sv[2] = 0x00;
        sv[3] = 0x01;
        sv[4] = 0x00;
        sv[5] = 0x80;

        sv[0] = 0xA5;
        sv[1] = 0x5A;
        var enc = AesCmac.Compute(key, sv);
        sv[0] = 0x5A;
        sv[1] = 0xA5;
        var mac = AesCmac.Compute(key, sv);
        return new SessionKeys(enc, mac);
    }

    public override string ToString() => "SessionKeys(hidden)";
}
