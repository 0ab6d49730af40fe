using System.Security.Cryptography;
using BoltGate.Nfc.Transport;

namespace BoltGate.Nfc.Ntag424;

/// <summary>
/// NTAG 424 DNA commands over an <see cref="ICardTransport"/>, with EV2 secure messaging once
/// authenticated. Unexpected card answers throw <see cref="Ntag424Exception"/>; authentication
/// answers are values (<see cref="AuthResult"/>). Any error while authenticated ends the session,
/// as it does on the chip.
/// </summary>
public sealed class Ntag424Card(ICardTransport transport, Action<Span<byte>>? random = null)
{
    public static ReadOnlySpan<byte> ApplicationName => [0xD2, 0x76, 0x00, 0x00, 0x85, 0x01, 0x01];

    public const ushort NdefFileId = 0xE104;
    public const byte NdefFileNo = 0x02;

    private readonly Action<Span<byte>> _random = random ?? RandomNumberGenerator.Fill;

    /// <summary>The current EV2 session, or null when not authenticated.</summary>
    public SecureChannel? Session { get; private set; }

    public ICardTransport Transport => transport;

    /// <summary>Test hook: continue a session whose keys a published vector gives.</summary>
    internal void UseSession(SecureChannel? session) => Session = session;

    // ---------- ISO commands (plain) ----------

    /// <summary>ISOSelectFile of the NDEF application by DF name; ends any authentication.</summary>
    public async Task SelectApplicationAsync(CancellationToken ct)
    {
        Session = null;
        byte[] apdu = [0x00, 0xA4, 0x04, 0x0C, 0x07, .. ApplicationName, 0x00];
        await IsoAsync("ISOSelectFile(application)", apdu, ct).ConfigureAwait(false);
    }

    public async Task SelectFileAsync(ushort fileId, CancellationToken ct)
    {
        byte[] apdu = [0x00, 0xA4, 0x00, 0x0C, 0x02, (byte)(fileId >> 8), (byte)fileId, 0x00];
        await IsoAsync("ISOSelectFile(EF)", apdu, ct).ConfigureAwait(false);
    }

    /// <summary>ISOReadBinary of the selected file; <paramref name="length"/> 0 reads to the end (Le 00).</summary>
    public async Task<byte[]> IsoReadBinaryAsync(int offset, int length, CancellationToken ct)
    {
        if (offset is < 0 or > 0x7FFF || length is < 0 or > 256)
            throw new ArgumentOutOfRangeException(nameof(offset));
        byte[] apdu = [0x00, 0xB0, (byte)(offset >> 8), (byte)offset, (byte)(length == 256 ? 0 : length)];
        return await IsoAsync("ISOReadBinary", apdu, ct).ConfigureAwait(false);
    }

    public async Task IsoUpdateBinaryAsync(int offset, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (offset is < 0 or > 0x7FFF || data.Length is < 1 or > 255)
            throw new ArgumentOutOfRangeException(nameof(data));
        byte[] apdu = [0x00, 0xD6, (byte)(offset >> 8), (byte)offset, (byte)data.Length, .. data.Span];
        await IsoAsync("ISOUpdateBinary", apdu, ct).ConfigureAwait(false);
    }

    /// <summary>Reads the NDEF file the way a phone does: select application, select E104, read NLEN, read the message.</summary>
    public async Task<byte[]> ReadNdefFileAsync(CancellationToken ct)
    {
        await SelectApplicationAsync(ct).ConfigureAwait(false);
        await SelectFileAsync(NdefFileId, ct).ConfigureAwait(false);
        var nlen = await IsoReadBinaryAsync(0, 2, ct).ConfigureAwait(false);
        if (nlen.Length != 2)
            throw new Ntag424Exception("ISOReadBinary", StatusWords.IsoOk, "short NLEN");
        var length = (nlen[0] << 8) | nlen[1];
        if (length > 254)
            throw new Ntag424Exception("ISOReadBinary", StatusWords.IsoOk, "NLEN larger than the file");
        var message = length == 0 ? [] : await IsoReadBinaryAsync(2, length, ct).ConfigureAwait(false);
        return [.. nlen, .. message];
    }

    // ---------- native commands ----------

    public async Task<CardVersion> GetVersionAsync(CancellationToken ct)
    {
        if (Session is not null)
            throw new InvalidOperationException("GetVersion is only used before authentication.");
        var r1 = await SendAsync([0x90, 0x60, 0x00, 0x00, 0x00], ct).ConfigureAwait(false);
        Expect("GetVersion", r1, StatusWords.AdditionalFrame);
        var r2 = await SendAsync([0x90, 0xAF, 0x00, 0x00, 0x00], ct).ConfigureAwait(false);
        Expect("GetVersion", r2, StatusWords.AdditionalFrame);
        var r3 = await SendAsync([0x90, 0xAF, 0x00, 0x00, 0x00], ct).ConfigureAwait(false);
        Expect("GetVersion", r3, StatusWords.Ok);
        if (r1.Data.Length != 7 || r2.Data.Length != 7 || r3.Data.Length < 7)
            throw new Ntag424Exception("GetVersion", r3.StatusWord, "unexpected frame lengths");
        return new CardVersion(r1.Data, r2.Data, r3.Data);
    }

    public Task<AuthResult> AuthenticateEv2FirstAsync(byte keyNo, ReadOnlyMemory<byte> key, CancellationToken ct) =>
        AuthenticateAsync(first: true, keyNo, key, ct);

    public Task<AuthResult> AuthenticateEv2NonFirstAsync(byte keyNo, ReadOnlyMemory<byte> key, CancellationToken ct)
    {
        if (Session is null)
            throw new InvalidOperationException("AuthenticateEV2NonFirst needs an existing session.");
        return AuthenticateAsync(first: false, keyNo, key, ct);
    }

    public async Task<byte> GetKeyVersionAsync(byte keyNo, CancellationToken ct)
    {
        var data = await CommandAsync("GetKeyVersion", 0x64, [keyNo], [], CommMode.Mac, ct).ConfigureAwait(false);
        if (data.Length != 1)
            throw new Ntag424Exception("GetKeyVersion", StatusWords.Ok, "unexpected length");
        return data[0];
    }

    public async Task<FileSettings> GetFileSettingsAsync(byte fileNo, CancellationToken ct)
    {
        var data = await CommandAsync("GetFileSettings", 0xF5, [fileNo], [], CommMode.Mac, ct).ConfigureAwait(false);
        if (!FileSettings.TryParseGetData(data, out var settings))
            throw new Ntag424Exception("GetFileSettings", StatusWords.Ok, "unparseable settings");
        return settings;
    }

    /// <summary>ChangeFileSettings in CommMode.Full (the file's Change right is key 0 on Boltcards).</summary>
    public async Task ChangeFileSettingsAsync(byte fileNo, FileSettings settings, CancellationToken ct)
    {
        RequireSession("ChangeFileSettings");
        await CommandAsync("ChangeFileSettings", 0x5F, [fileNo], settings.ToChangeData(), CommMode.Full, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// ChangeKey. Changing the session's own key ends the session (the card returns no MAC);
    /// other keys need their current value (<paramref name="oldKey"/>) for the XOR.
    /// </summary>
    public async Task ChangeKeyAsync(byte keyNo, ReadOnlyMemory<byte> newKey, byte version, ReadOnlyMemory<byte> oldKey, CancellationToken ct)
    {
        var session = RequireSession("ChangeKey");
        if (keyNo == session.KeyNo)
        {
            var data = ChangeKeyData.ForAuthenticationKey(newKey.Span, version);
            await CommandAsync("ChangeKey", 0xC4, [keyNo], data, CommMode.Full, ct, expectResponseMac: false).ConfigureAwait(false);
            Session = null;
        }
        else
        {
            var data = ChangeKeyData.ForOtherKey(newKey.Span, oldKey.Span, version);
            await CommandAsync("ChangeKey", 0xC4, [keyNo], data, CommMode.Full, ct).ConfigureAwait(false);
        }
    }

    public async Task<byte[]> GetCardUidAsync(CancellationToken ct)
    {
        RequireSession("GetCardUID");
        var uid = await CommandAsync("GetCardUID", 0x51, [], [], CommMode.Full, ct).ConfigureAwait(false);
        if (uid.Length != 7)
            throw new Ntag424Exception("GetCardUID", StatusWords.Ok, "UID is not 7 bytes");
        return uid;
    }

    /// <summary>ReadData in the file's communication mode; <paramref name="length"/> 0 reads to the end of the file.</summary>
    public Task<byte[]> ReadDataAsync(byte fileNo, int offset, int length, CommMode mode, CancellationToken ct)
    {
        var header = new byte[7];
        header[0] = fileNo;
        Write3(header.AsSpan(1), offset);
        Write3(header.AsSpan(4), length);
        return CommandAsync("ReadData", 0xAD, header, [], Session is null ? CommMode.Plain : mode, ct);
    }

    /// <summary>WriteData in the file's communication mode (one frame; keep data ≤ 128 bytes for tearing protection).</summary>
    public async Task WriteDataAsync(byte fileNo, int offset, ReadOnlyMemory<byte> data, CommMode mode, CancellationToken ct)
    {
        var header = new byte[7];
        header[0] = fileNo;
        Write3(header.AsSpan(1), offset);
        Write3(header.AsSpan(4), data.Length);
        await CommandAsync("WriteData", 0x8D, header, data.ToArray(), Session is null ? CommMode.Plain : mode, ct).ConfigureAwait(false);
    }

    /// <summary>SetConfiguration option 00 data 02: Random ID. IRREVERSIBLE — the real UID is then only readable after authentication.</summary>
    public async Task EnableRandomUidAsync(CancellationToken ct)
    {
        RequireSession("SetConfiguration");
        await CommandAsync("SetConfiguration", 0x5C, [0x00], [0x02], CommMode.Full, ct).ConfigureAwait(false);
    }

    // ---------- plumbing ----------

    private async Task<AuthResult> AuthenticateAsync(bool first, byte keyNo, ReadOnlyMemory<byte> key, CancellationToken ct)
    {
        if (key.Length != 16)
            throw new ArgumentException("NTAG 424 keys are 16 bytes.", nameof(key));
        var previous = Session;
        Session = null;
        byte[] part1 = first
            ? [0x90, 0x71, 0x00, 0x00, 0x02, keyNo, 0x00, 0x00]
            : [0x90, 0x77, 0x00, 0x00, 0x01, keyNo, 0x00];
        var r1 = await SendAsync(part1, ct).ConfigureAwait(false);
        if (r1.StatusWord != StatusWords.AdditionalFrame)
            return AuthResult.Rejected(r1.StatusWord);
        if (r1.Data.Length != 16)
            throw new Ntag424Exception("Authenticate", r1.StatusWord, "RndB is not 16 bytes");
        var rndB = BlockCipher.DecryptBlock(key.Span, r1.Data);
        var rndA = new byte[16];
        _random(rndA);
        var token = BlockCipher.CbcEncrypt(key.Span, new byte[16], [.. rndA, .. Rotation.Left(rndB)]);
        byte[] part2 = [0x90, 0xAF, 0x00, 0x00, 0x20, .. token, 0x00];
        var r2 = await SendAsync(part2, ct).ConfigureAwait(false);
        if (r2.StatusWord != StatusWords.Ok)
            return AuthResult.Rejected(r2.StatusWord);
        if (r2.Data.Length != (first ? 32 : 16))
            throw new Ntag424Exception("Authenticate", r2.StatusWord, "unexpected answer length");
        var plain = BlockCipher.CbcDecrypt(key.Span, new byte[16], r2.Data);
        var rndAPrime = first ? plain.AsSpan(4, 16) : plain.AsSpan(0, 16);
        if (!CryptographicOperations.FixedTimeEquals(rndAPrime, Rotation.Left(rndA)))
            throw new Ntag424Exception("Authenticate", r2.StatusWord, "card did not prove the key (RndA' mismatch)");
        var keys = SessionKeys.Derive(key.Span, rndA, rndB);
        Session = first
            ? new SecureChannel(keys, plain.AsSpan(0, 4), keyNo)
            : new SecureChannel(keys, previous!.Ti, keyNo, previous.CommandCounter);
        return AuthResult.Success;
    }

    private async Task<byte[]> CommandAsync(
        string name, byte ins, byte[] header, byte[] data, CommMode mode, CancellationToken ct,
        bool expectResponseMac = true)
    {
        var session = Session;
        byte[] body;
        if (session is null)
        {
            body = [.. header, .. data];
        }
        else
        {
            switch (mode)
            {
                case CommMode.Full:
                    var enc = data.Length == 0 ? [] : session.EncryptCommandData(data);
                    body = [.. header, .. enc, .. session.CommandMac(ins, header, enc)];
                    break;
                case CommMode.Mac:
                    body = [.. header, .. data, .. session.CommandMac(ins, header, data)];
                    break;
                default:
                    body = [.. header, .. data];
                    break;
            }
        }
        if (body.Length > 255)
            throw new ArgumentException($"{name}: command data of {body.Length} bytes does not fit one frame.");
        byte[] apdu = body.Length == 0
            ? [0x90, ins, 0x00, 0x00, 0x00]
            : [0x90, ins, 0x00, 0x00, (byte)body.Length, .. body, 0x00];
        var response = await SendAsync(apdu, ct).ConfigureAwait(false);
        if (response.StatusWord != StatusWords.Ok)
        {
            Session = null;
            throw new Ntag424Exception(name, response.StatusWord);
        }
        if (session is null)
            return response.Data;

        session.Advance();
        var counter = session.CommandCounter;
        if (mode == CommMode.Plain || !expectResponseMac)
        {
            if (!expectResponseMac && response.Data.Length != 0)
                throw new Ntag424Exception(name, response.StatusWord, "unexpected response data");
            return response.Data;
        }
        if (response.Data.Length < 8)
        {
            Session = null;
            throw new Ntag424Exception(name, response.StatusWord, "response MAC missing");
        }
        var respData = response.Data.AsSpan(0, response.Data.Length - 8);
        var mac = response.Data.AsSpan(response.Data.Length - 8);
        if (!CryptographicOperations.FixedTimeEquals(mac, session.ResponseMac(0x00, counter, respData)))
        {
            Session = null;
            throw new Ntag424Exception(name, response.StatusWord, "response MAC does not verify");
        }
        if (mode == CommMode.Full && respData.Length > 0)
        {
            if (!session.TryDecryptResponseData(counter, respData, out var plain))
            {
                Session = null;
                throw new Ntag424Exception(name, response.StatusWord, "response padding is malformed");
            }
            return plain;
        }
        return respData.ToArray();
    }

    private async Task<byte[]> IsoAsync(string name, byte[] apdu, CancellationToken ct)
    {
        var response = await SendAsync(apdu, ct).ConfigureAwait(false);
        if (response.StatusWord != StatusWords.IsoOk)
        {
            Session = null;
            throw new Ntag424Exception(name, response.StatusWord);
        }
        Session?.Advance();
        return response.Data;
    }

    private async Task<ResponseApdu> SendAsync(byte[] apdu, CancellationToken ct)
    {
        var raw = await transport.TransmitAsync(apdu, ct).ConfigureAwait(false);
        return ResponseApdu.Parse(raw);
    }

    private SecureChannel RequireSession(string command) =>
        Session ?? throw new InvalidOperationException($"{command} needs an authenticated session.");

    private static void Expect(string name, ResponseApdu r, ushort sw)
    {
        if (r.StatusWord != sw)
            throw new Ntag424Exception(name, r.StatusWord);
    }

    private static void Write3(Span<byte> destination, int value)
    {
        if (value is < 0 or > 0xFFFFFF)
            throw new ArgumentOutOfRangeException(nameof(value));
        destination[0] = (byte)value;
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)(value >> 16);
    }
}
