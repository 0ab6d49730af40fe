using System.Security.Cryptography;
using BoltGate.Core.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace BoltGate.Benchmarks;

/// <summary>
/// The same SUN verification written on BouncyCastle's <see cref="CMac"/> + <see cref="AesEngine"/>:
/// the comparison baseline. Engines and scratch buffers are reused across taps (as a careful
/// caller would), so only the per-tap work (three key set-ups, one decrypt, two CMACs) is measured.
/// </summary>
public sealed class BouncyCastleSun
{
    private static readonly byte[] Sv2Prefix = [0x3C, 0xC3, 0x00, 0x01, 0x00, 0x80];

    private readonly AesEngine _decrypt = new();
    private readonly CMac _cmac = new(new AesEngine());
    private readonly byte[] _tap = new byte[24];
    private readonly byte[] _picc = new byte[16];
    private readonly byte[] _sv2 = new byte[16];
    private readonly byte[] _sessionKey = new byte[16];
    private readonly byte[] _full = new byte[16];
    private readonly byte[] _truncated = new byte[8];

    /// <summary>0 = verified, 1 = malformed, 2 = not a Boltcard, 3 = bad MAC.</summary>
    public int Verify(byte[] k1, byte[] k2, string p, string c)
    {
        if (!Hex.TryDecode(p, _tap.AsSpan(0, 16)) || !Hex.TryDecode(c, _tap.AsSpan(16, 8)))
            return 1;
        _decrypt.Init(false, new KeyParameter(k1));
        _decrypt.ProcessBlock(_tap, 0, _picc, 0);
        if (_picc[0] != 0xC7)
            return 2;

        Sv2Prefix.CopyTo(_sv2, 0);
        Array.Copy(_picc, 1, _sv2, 6, 10); // UID(7) || counter(3, LE) sit in PICCData in SV2 order
        _cmac.Init(new KeyParameter(k2));
        _cmac.BlockUpdate(_sv2, 0, 16);
        _cmac.DoFinal(_sessionKey, 0);

        _cmac.Init(new KeyParameter(_sessionKey));
        _cmac.DoFinal(_full, 0);
        for (var i = 0; i < 8; i++)
            _truncated[i] = _full[2 * i + 1];
        return CryptographicOperations.FixedTimeEquals(_truncated, _tap.AsSpan(16, 8)) ? 0 : 3;
    }

    public byte[] Cmac(byte[] key, byte[] message)
    {
        _cmac.Init(new KeyParameter(key));
        _cmac.BlockUpdate(message, 0, message.Length);
        _cmac.DoFinal(_full, 0);
        return _full;
    }
}
