using BoltGate.Core.Crypto;

namespace BoltGate.Nfc.Ntag424;

/// <summary>
/// EV2 secure-messaging state shared by the reader side and the virtual card: session keys,
/// transaction identifier and the 16-bit command counter. Command MAC/IV use the counter as it is;
/// the card increments it before it answers, and response MAC/IV use the incremented value.
/// </summary>
public sealed class SecureChannel
{
    private readonly byte[] _ti;

    public SecureChannel(SessionKeys keys, ReadOnlySpan<byte> ti, byte keyNo, ushort commandCounter = 0)
    {
        if (ti.Length != 4)
            throw new ArgumentException("TI is 4 bytes.", nameof(ti));
        Keys = keys;
        _ti = ti.ToArray();
        KeyNo = keyNo;
        CommandCounter = commandCounter;
    }

    public SessionKeys Keys { get; }

    public ReadOnlySpan<byte> Ti => _ti;

    /// <summary>The key number this session was authenticated with.</summary>
    public byte KeyNo { get; }

    public ushort CommandCounter { get; private set; }

    public void Advance() => CommandCounter = checked((ushort)(CommandCounter + 1));

    /// <summary>IV for command data: E(KSesAuthENC, A5 5A || TI || CmdCtr || 00*8).</summary>
    public byte[] CommandIv() => Iv(0xA5, 0x5A, CommandCounter);

    /// <summary>IV for response data, using the counter the card has moved to (CmdCtr + 1 before <see cref="Advance"/>).</summary>
    public byte[] ResponseIv(ushort counter) => Iv(0x5A, 0xA5, counter);

    /// <summary>MACt over Cmd || CmdCtr || TI || header || data, with the current counter.</summary>
    public byte[] CommandMac(byte ins, ReadOnlySpan<byte> header, ReadOnlySpan<byte> data) =>
        Mac(ins, CommandCounter, header, data);

    /// <summary>MACt over RC || CmdCtr' || TI || data for a response sent after the counter moved to <paramref name="counter"/>.</summary>
    public byte[] ResponseMac(byte returnCode, ushort counter, ReadOnlySpan<byte> data) =>
        Mac(returnCode, counter, [], data);

    public byte[] EncryptCommandData(ReadOnlySpan<byte> plain) =>
        BlockCipher.CbcEncrypt(Keys.Enc, CommandIv(), Padding.Pad(plain));

    public byte[] EncryptResponseData(ushort counter, ReadOnlySpan<byte> plain) =>
        BlockCipher.CbcEncrypt(Keys.Enc, ResponseIv(counter), Padding.Pad(plain));

    public bool TryDecryptCommandData(ReadOnlySpan<byte> cipher, out byte[] plain) =>
        TryDecrypt(CommandIv(), cipher, out plain);

    public bool TryDecryptResponseData(ushort counter, ReadOnlySpan<byte> cipher, out byte[] plain) =>
        TryDecrypt(ResponseIv(counter), cipher, out plain);

    private bool TryDecrypt(byte[] iv, ReadOnlySpan<byte> cipher, out byte[] plain)
    {
        plain = [];
        if (cipher.Length == 0 || cipher.Length % 16 != 0)
            return false;
        return Padding.TryUnpad(BlockCipher.CbcDecrypt(Keys.Enc, iv, cipher), out plain);
    }

    private byte[] Mac(byte first, ushort counter, ReadOnlySpan<byte> header, ReadOnlySpan<byte> data)
    {
        var input = new byte[1 + 2 + 4 + header.Length + data.Length];
        input[0] = first;
        input[1] = (byte)counter;
        input[2] = (byte)(counter >> 8);
        _ti.CopyTo(input, 3);
        header.CopyTo(input.AsSpan(7));
        data.CopyTo(input.AsSpan(7 + header.Length));
        return MacTruncation.Truncate(AesCmac.Compute(Keys.Mac, input));
    }

    private byte[] Iv(byte a, byte b, ushort counter)
    {
        Span<byte> block = stackalloc byte[16];
        block.Clear();
        block[0] = a;
        block[1] = b;
        _ti.CopyTo(block[2..]);
        block[6] = (byte)counter;
        block[7] = (byte)(counter >> 8);
        return BlockCipher.EncryptBlock(Keys.Enc, block);
    }
}
