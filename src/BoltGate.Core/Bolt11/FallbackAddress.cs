using System.Numerics;
using System.Security.Cryptography;
using BoltGate.Core.Bitcoin;

namespace BoltGate.Core.Bolt11;

/// <summary>Renders an <c>f</c> field as the on-chain address a wallet would show.</summary>
internal static class FallbackAddress
{
    private const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    public static string Render(BitcoinNetwork network, int version, byte[] program) => version switch
    {
        17 => Base58Check(network == BitcoinNetwork.Mainnet ? (byte)0x00 : (byte)0x6f, program),
        18 => Base58Check(network == BitcoinNetwork.Mainnet ? (byte)0x05 : (byte)0xc4, program),
        _ => Segwit(network, version, program),
    };

    private static string Segwit(BitcoinNetwork network, int version, byte[] program)
    {
        var hrp = network switch
        {
            BitcoinNetwork.Mainnet => "bc",
            BitcoinNetwork.Regtest => "bcrt",
            _ => "tb",
        };
        var groups = Bech32.ConvertBits(program, 8, 5, pad: true)!;
        var data = new byte[groups.Length + 1];
        data[0] = (byte)version;
        groups.CopyTo(data, 1);
        return Bech32.Encode(hrp, data, bech32m: version != 0);
    }

    private static string Base58Check(byte prefix, byte[] hash)
    {
        Span<byte> payload = stackalloc byte[1 + hash.Length + 4];
        payload[0] = prefix;
        hash.CopyTo(payload[1..]);
        var checksum = SHA256.HashData(SHA256.HashData(payload[..(1 + hash.Length)]));
        checksum.AsSpan(0, 4).CopyTo(payload[(1 + hash.Length)..]);

        var value = new BigInteger(payload, isUnsigned: true, isBigEndian: true);
        var chars = new List<char>();
        while (value > 0)
        {
            value = BigInteger.DivRem(value, 58, out var rem);
            chars.Add(Base58Alphabet[(int)rem]);
        }
        foreach (var b in payload)
        {
            if (b != 0)
                break;
            chars.Add('1');
        }
        chars.Reverse();
        return new string(chars.ToArray());
    }
}
