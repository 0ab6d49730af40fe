using System.Buffers.Binary;
using System.Security.Cryptography;
using BoltGate.Nfc.Ntag424;

namespace BoltGate.Nfc.Virtual;

/// <summary>
/// A virtual NTAG 424 DNA that answers APDUs the way the chip does: ISO and native commands, AES
/// EV2 authentication with RndA/RndB, secure messaging (MAC and Full, command counter, MAC checks
/// that abort the session), key versions, file settings and SUN mirroring on unauthenticated reads
/// of the NDEF file with the SDM read counter moving once per tap (first read after activation or a
/// new file selection). Thread-safe: one APDU at a time.
/// </summary>
public sealed class VirtualNtag424
{
    /// <summary>ATR a PC/SC contactless reader reports for an ISO 14443-4 type A card without historical bytes.</summary>
    public static ReadOnlySpan<byte> Atr => [0x3B, 0x81, 0x80, 0x01, 0x80, 0x80];

    // GetVersion frames as AN12196 Table 13 prints them (NXP, NTAG, 424 DNA, 256 < size < 512, ISO 14443-4).
    private static readonly byte[] HardwareInfo = [0x04, 0x04, 0x08, 0x30, 0x00, 0x11, 0x05];
    private static readonly byte[] SoftwareInfo = [0x04, 0x04, 0x02, 0x01, 0x01, 0x11, 0x05];
    private static readonly byte[] ProductionTail = [0xCD, 0x65, 0x93, 0x5D, 0x40, 0x21, 0x18];

    private readonly object _gate = new();
    private readonly byte[] _uid;
    private readonly byte[][] _keys = [new byte[16], new byte[16], new byte[16], new byte[16], new byte[16]];
    private readonly byte[] _keyVersions = new byte[5];
    private readonly VirtualFile[] _files;
    private readonly Action<Span<byte>> _random;

    private bool _randomUid;
    private int _sdmReadCounter;
    private VirtualFile? _selectedFile;
    private byte[]? _tapSnapshot;
    private SecureChannel? _session;
    private PendingAuth? _pendingAuth;
    private int _versionFrame;

    public VirtualNtag424(ReadOnlySpan<byte> uid, Action<Span<byte>>? random = null)
    {
        if (uid.Length != 7)
            throw new ArgumentException("An NTAG 424 DNA UID is 7 bytes.", nameof(uid));
        _uid = uid.ToArray();
        _random = random ?? RandomNumberGenerator.Fill;
        byte[] cc = [0x00, 0x17, 0x20, 0x01, 0x00, 0x00, 0xFF, 0x04, 0x06, 0xE1, 0x04, 0x01, 0x00, 0x00, 0x00,
            0x05, 0x06, 0xE1, 0x05, 0x00, 0x80, 0x82, 0x83, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
        _files =
        [
            new VirtualFile(0x01, 0xE103, cc, new FileSettings(CommMode.Plain, new AccessRights(AccessRights.Free, 0, 0, 0), null, 32)),
            new VirtualFile(0x02, 0xE104, new byte[256], FileSettings.FactoryNdef),
            new VirtualFile(0x03, 0xE105, new byte[128], new FileSettings(CommMode.Full, new AccessRights(2, 3, 3, 0), null, 128)),
        ];
    }

    // ---------- what a test can observe ----------

    public ReadOnlySpan<byte> Uid => _uid;

    public int SdmReadCounter { get { lock (_gate) return _sdmReadCounter; } }

    public bool RandomUidEnabled { get { lock (_gate) return _randomUid; } }

    public int FailedAuthentications { get; private set; }

    public int ApduCount { get; private set; }

    public byte KeyVersion(int keyNo) { lock (_gate) return _keyVersions[keyNo]; }

    public bool HasKey(int keyNo, ReadOnlySpan<byte> key)
    {
        lock (_gate)
            return CryptographicOperations.FixedTimeEquals(_keys[keyNo], key);
    }

    public FileSettings SettingsOf(byte fileNo) { lock (_gate) return File(fileNo)!.Settings; }

    public byte[] RawFile(byte fileNo) { lock (_gate) return File(fileNo)!.Content.ToArray(); }

    // ---------- test hooks for the AN12196 vectors ----------

    internal void ForceSession(SecureChannel session) { lock (_gate) _session = session; }

    internal void ForceFileSettings(byte fileNo, FileSettings settings) { lock (_gate) File(fileNo)!.Settings = settings; }

    internal byte[] RawFileForTests(byte fileNo) => File(fileNo)!.Content;

    internal void ForceSdmReadCounter(int value) { lock (_gate) _sdmReadCounter = value; }

    internal void ForceKey(int keyNo, byte[] key, byte version)
    {
        lock (_gate)
        {
            _keys[keyNo] = key.ToArray();
            _keyVersions[keyNo] = version;
        }
    }

    // ---------- field events ----------

    /// <summary>The card leaves and re-enters the field: selection, authentication and the tap snapshot are gone.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _session = null;
            _pendingAuth = null;
            _selectedFile = null;
            _tapSnapshot = null;
            _versionFrame = 0;
        }
    }

    public byte[] Process(ReadOnlySpan<byte> apdu)
    {
        lock (_gate)
        {
            ApduCount++;
            if (apdu.Length < 4)
                return Sw(StatusWords.IsoWrongLength);
            var cla = apdu[0];
            var ins = apdu[1];
            if (ins != 0xAF)
            {
                _pendingAuth = null;
                _versionFrame = 0;
            }
            if (cla == 0x00)
                return ProcessIso(apdu);
            if (cla != 0x90)
                return Sw(StatusWords.IsoClaNotSupported);
            if (!TryNativeData(apdu, out var data))
                return Fail(StatusWords.LengthError);
            return ins switch
            {
                0x60 => GetVersion(first: true),
                0xAF => AdditionalFrame(data),
                0x71 => AuthPart1(data, first: true),
                0x77 => AuthPart1(data, first: false),
                0x64 => Secured(ins, data, headerLength: 1, CommMode.Mac, GetKeyVersion),
                0xF5 => Secured(ins, data, headerLength: 1, CommMode.Mac, GetFileSettings),
                0x5F => Secured(ins, data, headerLength: 1, CommMode.Full, ChangeFileSettings),
                0xC4 => ChangeKey(data),
                0x51 => Secured(ins, data, headerLength: 0, CommMode.Full, GetCardUid),
                0xAD => FileCommand(ins, data, ReadData),
                0x8D => FileCommand(ins, data, WriteData),
                0x5C => Secured(ins, data, headerLength: 1, CommMode.Full, SetConfiguration),
                _ => Fail(StatusWords.IllegalCommand),
            };
        }
    }

    // ---------- ISO ----------

    private byte[] ProcessIso(ReadOnlySpan<byte> apdu)
    {
        var ins = apdu[1];
        var p1 = apdu[2];
        var p2 = apdu[3];
        var body = apdu.Length > 5 ? apdu.Slice(5, Math.Min(apdu[4], apdu.Length - 5)) : [];
        switch (ins)
        {
            case 0xA4:
                if (p1 == 0x04)
                {
                    if (!body.SequenceEqual(Ntag424Card.ApplicationName))
                        return IsoFail(StatusWords.IsoFileNotFound);
                    _session = null;
                    _selectedFile = null;
                    _tapSnapshot = null;
                    return Sw(StatusWords.IsoOk);
                }
                if (p1 == 0x00 && body.Length == 2)
                {
                    var fid = (ushort)((body[0] << 8) | body[1]);
                    var file = Array.Find(_files, f => f.FileId == fid);
                    if (file is null)
                        return IsoFail(StatusWords.IsoFileNotFound);
                    _selectedFile = file;
                    _tapSnapshot = null;
                    return IsoOk([]);
                }
                return IsoFail(StatusWords.IsoWrongParameters);
            case 0xB0:
            {
                if (_selectedFile is null)
                    return IsoFail(StatusWords.IsoConditionsNotSatisfied);
                var offset = ((p1 & 0x7F) << 8) | p2;
                var le = apdu.Length == 5 ? apdu[4] : 0;
                var access = _selectedFile.Settings.Access;
                if (!ReadAllowed(access))
                    return IsoFail(StatusWords.IsoSecurityNotSatisfied);
                var content = ReadView(_selectedFile);
                if (offset > content.Length)
                    return IsoFail(StatusWords.IsoWrongParameters);
                var length = le == 0 ? Math.Min(256, content.Length - offset) : le;
                if (offset + length > content.Length)
                    return IsoFail(StatusWords.IsoWrongLength);
                return IsoOk(content.AsSpan(offset, length));
            }
            case 0xD6:
            {
                if (_selectedFile is null)
                    return IsoFail(StatusWords.IsoConditionsNotSatisfied);
                var offset = ((p1 & 0x7F) << 8) | p2;
                var access = _selectedFile.Settings.Access;
                if (!WriteAllowed(access) || (_session is not null && _selectedFile.Settings.CommMode != CommMode.Plain && !IsFree(access.Write)))
                    return IsoFail(StatusWords.IsoSecurityNotSatisfied);
                if (body.Length == 0 || offset + body.Length > _selectedFile.Content.Length)
                    return IsoFail(StatusWords.IsoWrongLength);
                body.CopyTo(_selectedFile.Content.AsSpan(offset));
                _tapSnapshot = null;
                return IsoOk([]);
            }
            default:
                return IsoFail(StatusWords.IsoInsNotSupported);
        }
    }

    private byte[] IsoOk(ReadOnlySpan<byte> data)
    {
        _session?.Advance();
        return [.. data, 0x90, 0x00];
    }

    private byte[] IsoFail(ushort sw)
    {
        _session = null;
        return Sw(sw);
    }

    // ---------- native: plain-only ----------

    private byte[] GetVersion(bool first)
    {
        _ = first;
        _versionFrame = 1;
        return [.. HardwareInfo, 0x91, 0xAF];
    }

    private byte[] AdditionalFrame(byte[] data)
    {
        if (_pendingAuth is { } pending)
        {
            _pendingAuth = null;
            return AuthPart2(pending, data);
        }
        switch (_versionFrame)
        {
            case 1:
                _versionFrame = 2;
                return [.. SoftwareInfo, 0x91, 0xAF];
            case 2:
                _versionFrame = 0;
                byte[] uid = _randomUid ? new byte[7] : _uid;
                return [.. uid, .. ProductionTail, 0x91, 0x00];
            default:
                return Fail(StatusWords.CommandAborted);
        }
    }

    private sealed record PendingAuth(byte KeyNo, byte[] RndB, bool First, SecureChannel? Previous);

    private byte[] AuthPart1(byte[] data, bool first)
    {
        var previous = _session;
        _session = null;
        if (data.Length < (first ? 2 : 1))
            return Sw(StatusWords.LengthError);
        var keyNo = data[0];
        if (keyNo > 4)
            return Sw(StatusWords.NoSuchKey);
        if (!first && previous is null)
            return Sw(StatusWords.PermissionDenied);
        if (FailedAuthentications >= 50)
            return Sw(StatusWords.AuthenticationDelay);
        var rndB = new byte[16];
        _random(rndB);
        _pendingAuth = new PendingAuth(keyNo, rndB, first, previous);
        return [.. BlockCipher.EncryptBlock(_keys[keyNo], rndB), 0x91, 0xAF];
    }

    private byte[] AuthPart2(PendingAuth pending, byte[] data)
    {
        if (data.Length != 32)
            return Sw(StatusWords.LengthError);
        var key = _keys[pending.KeyNo];
        var plain = BlockCipher.CbcDecrypt(key, new byte[16], data);
        if (!CryptographicOperations.FixedTimeEquals(plain.AsSpan(16), Rotation.Left(pending.RndB)))
        {
            FailedAuthentications++;
            return Sw(StatusWords.AuthenticationError);
        }
        FailedAuthentications = 0;
        var rndA = plain.AsSpan(0, 16).ToArray();
        var keys = SessionKeys.Derive(key, rndA, pending.RndB);
        if (pending.First)
        {
            var ti = new byte[4];
            _random(ti);
            _session = new SecureChannel(keys, ti, pending.KeyNo);
            byte[] answer = [.. ti, .. Rotation.Left(rndA), .. new byte[12]];
            return [.. BlockCipher.CbcEncrypt(key, new byte[16], answer), 0x91, 0x00];
        }
        _session = new SecureChannel(keys, pending.Previous!.Ti, pending.KeyNo, pending.Previous.CommandCounter);
        return [.. BlockCipher.CbcEncrypt(key, new byte[16], Rotation.Left(rndA)), 0x91, 0x00];
    }

    // ---------- native: secure messaging ----------

    private delegate byte[]? Handler(byte[] header, byte[] data, out ushort error);

    /// <summary>
    /// Runs a command in <paramref name="mode"/> when authenticated (MAC check, decryption, response
    /// MAC/encryption, counter) or in plain when not.
    /// </summary>
    private byte[] Secured(byte ins, byte[] body, int headerLength, CommMode mode, Handler handler)
    {
        if (body.Length < headerLength)
            return Fail(StatusWords.LengthError);
        var header = body[..headerLength];
        var session = _session;
        byte[] data;
        if (session is null || mode == CommMode.Plain)
        {
            data = body[headerLength..];
        }
        else
        {
            if (body.Length < headerLength + 8)
                return Fail(StatusWords.LengthError);
            var payload = body.AsSpan(headerLength, body.Length - headerLength - 8);
            var mac = body.AsSpan(body.Length - 8);
            if (!CryptographicOperations.FixedTimeEquals(mac, session.CommandMac(ins, header, payload)))
                return Fail(StatusWords.IntegrityError);
            if (mode == CommMode.Full && payload.Length > 0)
            {
                if (!session.TryDecryptCommandData(payload, out data))
                    return Fail(StatusWords.IntegrityError);
            }
            else
            {
                data = payload.ToArray();
            }
        }

        var result = handler(header, data, out var error);
        if (result is null)
            return Fail(error);
        if (session is null || _session != session)
            return [.. result, 0x91, 0x00];
        session.Advance();
        var counter = session.CommandCounter;
        if (mode == CommMode.Plain)
            return [.. result, 0x91, 0x00];
        var respData = mode == CommMode.Full && result.Length > 0 ? session.EncryptResponseData(counter, result) : result;
        return [.. respData, .. session.ResponseMac(0x00, counter, respData), 0x91, 0x00];
    }

    private byte[]? GetKeyVersion(byte[] header, byte[] data, out ushort error)
    {
        error = StatusWords.Ok;
        if (data.Length != 0)
            return Error(StatusWords.LengthError, out error);
        if (header[0] > 4)
            return Error(StatusWords.NoSuchKey, out error);
        return [_keyVersions[header[0]]];
    }

    private byte[]? GetFileSettings(byte[] header, byte[] data, out ushort error)
    {
        error = StatusWords.Ok;
        var file = File(header[0]);
        if (file is null)
            return Error(StatusWords.FileNotFound, out error);
        return file.Settings.ToGetData();
    }

    private byte[]? ChangeFileSettings(byte[] header, byte[] data, out ushort error)
    {
        error = StatusWords.Ok;
        var file = File(header[0]);
        if (file is null)
            return Error(StatusWords.FileNotFound, out error);
        var change = file.Settings.Access.Change;
        if (!IsFree(change) && _session?.KeyNo != change)
            return Error(StatusWords.PermissionDenied, out error);
        if (!FileSettings.TryParseChangeData(data, file.Content.Length, out var settings))
            return Error(StatusWords.ParameterError, out error);
        if (settings.Sdm is { } sdm && !SdmFits(file, sdm))
            return Error(StatusWords.ParameterError, out error);
        file.Settings = settings;
        if (settings.Sdm is not null)
            _sdmReadCounter = 0;
        _tapSnapshot = null;
        return [];
    }

    private byte[] ChangeKey(byte[] body)
    {
        if (_session is not { } session)
            return Fail(StatusWords.PermissionDenied);
        if (body.Length != 1 + 32 + 8)
            return Fail(StatusWords.LengthError);
        var keyNo = body[0];
        var cipher = body.AsSpan(1, 32);
        if (!CryptographicOperations.FixedTimeEquals(body.AsSpan(33), session.CommandMac(0xC4, [keyNo], cipher)))
            return Fail(StatusWords.IntegrityError);
        if (keyNo > 4)
            return Fail(StatusWords.NoSuchKey);
        if (session.KeyNo != 0)
            return Fail(StatusWords.PermissionDenied);
        if (!session.TryDecryptCommandData(cipher, out var plain))
            return Fail(StatusWords.IntegrityError);
        if (keyNo == session.KeyNo)
        {
            if (plain.Length != 17)
                return Fail(StatusWords.IntegrityError);
            _keys[keyNo] = plain[..16];
            _keyVersions[keyNo] = plain[16];
            _session = null;
            return Sw(StatusWords.Ok);
        }
        if (plain.Length != 21)
            return Fail(StatusWords.IntegrityError);
        var newKey = new byte[16];
        for (var i = 0; i < 16; i++)
            newKey[i] = (byte)(plain[i] ^ _keys[keyNo][i]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(plain.AsSpan(17)) != Jamcrc.Compute(newKey))
            return Fail(StatusWords.IntegrityError);
        _keys[keyNo] = newKey;
        _keyVersions[keyNo] = plain[16];
        session.Advance();
        var counter = session.CommandCounter;
        return [.. session.ResponseMac(0x00, counter, []), 0x91, 0x00];
    }

    private byte[]? GetCardUid(byte[] header, byte[] data, out ushort error)
    {
        error = StatusWords.Ok;
        if (_session is null)
            return Error(StatusWords.PermissionDenied, out error);
        return _uid.ToArray();
    }

    private byte[]? SetConfiguration(byte[] header, byte[] data, out ushort error)
    {
        error = StatusWords.Ok;
        if (_session?.KeyNo != 0)
            return Error(StatusWords.PermissionDenied, out error);
        if (header[0] != 0x00)
            return Error(StatusWords.ParameterError, out error);
        if (data.Length != 1)
            return Error(StatusWords.LengthError, out error);
        if ((data[0] & 0x02) != 0)
            _randomUid = true;
        return [];
    }

    // ---------- ReadData / WriteData ----------

    private byte[] FileCommand(byte ins, byte[] body, Handler handler)
    {
        if (body.Length < 7)
            return Fail(StatusWords.LengthError);
        var file = File(body[0]);
        if (file is null)
            return Fail(StatusWords.FileNotFound);
        var access = file.Settings.Access;
        var viaFreeRight = ins == 0xAD ? IsFree(access.Read) || IsFree(access.ReadWrite) : IsFree(access.Write) || IsFree(access.ReadWrite);
        var mode = _session is null || viaFreeRight ? CommMode.Plain : file.Settings.CommMode;
        return Secured(ins, body, headerLength: 7, mode, handler);
    }

    private byte[]? ReadData(byte[] header, byte[] data, out ushort error)
    {
        error = StatusWords.Ok;
        var file = File(header[0])!;
        if (!ReadAllowed(file.Settings.Access))
            return Error(StatusWords.PermissionDenied, out error);
        var offset = header[1] | (header[2] << 8) | (header[3] << 16);
        var length = header[4] | (header[5] << 8) | (header[6] << 16);
        if (offset >= file.Content.Length)
            return Error(StatusWords.BoundaryError, out error);
        if (length == 0)
            length = file.Content.Length - offset;
        if (offset + length > file.Content.Length)
            return Error(StatusWords.BoundaryError, out error);
        if (length > 256)
            return Error(StatusWords.LengthError, out error);
        return ReadView(file).AsSpan(offset, length).ToArray();
    }

    private byte[]? WriteData(byte[] header, byte[] data, out ushort error)
    {
        error = StatusWords.Ok;
        var file = File(header[0])!;
        if (!WriteAllowed(file.Settings.Access))
            return Error(StatusWords.PermissionDenied, out error);
        var offset = header[1] | (header[2] << 8) | (header[3] << 16);
        var length = header[4] | (header[5] << 8) | (header[6] << 16);
        if (length != data.Length || length == 0)
            return Error(StatusWords.LengthError, out error);
        if (offset + length > file.Content.Length)
            return Error(StatusWords.BoundaryError, out error);
        data.CopyTo(file.Content, offset);
        _tapSnapshot = null;
        return [];
    }

    // ---------- helpers ----------

    /// <summary>The file as a reader sees it now: with SUN mirrored in when SDM is on and the reader is not authenticated.</summary>
    private byte[] ReadView(VirtualFile file)
    {
        if (file.FileNo != Ntag424Card.NdefFileNo || file.Settings.Sdm is not { } sdm || _session is not null)
            return file.Content;
        if (_tapSnapshot is null)
        {
            if (_sdmReadCounter < 0xFFFFFF)
                _sdmReadCounter++;
            _tapSnapshot = SdmMirror.Apply(file.Content, sdm, _uid, _sdmReadCounter, _keys, _random);
        }
        return _tapSnapshot;
    }

    private static bool SdmFits(VirtualFile file, SdmSettings sdm)
    {
        var size = file.Content.Length;
        if (!sdm.Ascii || sdm.EncryptedFileData || sdm.ReadCounterLimitEnabled)
            return false;
        if (sdm.MetaReadKey == AccessRights.Free)
        {
            if (sdm.UidMirror && sdm.UidOffset + 14 > size)
                return false;
            if (sdm.ReadCounterMirror && sdm.ReadCounterOffset != 0xFFFFFF && sdm.ReadCounterOffset + 6 > size)
                return false;
        }
        else if (sdm.MetaReadKey <= 4)
        {
            if (!sdm.UidMirror && !sdm.ReadCounterMirror)
                return false;
            if (sdm.PiccDataOffset + 32 > size)
                return false;
        }
        if (sdm.FileReadKey <= 4)
        {
            if (sdm.MacOffset + 16 > size || sdm.MacInputOffset > sdm.MacOffset)
                return false;
            if (sdm.MetaReadKey <= 4 && sdm.MacOffset < sdm.PiccDataOffset + 32 && sdm.MacOffset + 16 > sdm.PiccDataOffset)
                return false;
        }
        return true;
    }

    private bool ReadAllowed(AccessRights access) =>
        AccessRights.Allows(access.Read, _session?.KeyNo) || AccessRights.Allows(access.ReadWrite, _session?.KeyNo);

    private bool WriteAllowed(AccessRights access) =>
        AccessRights.Allows(access.Write, _session?.KeyNo) || AccessRights.Allows(access.ReadWrite, _session?.KeyNo);

    private static bool IsFree(byte condition) => condition == AccessRights.Free;

    private VirtualFile? File(byte fileNo) => Array.Find(_files, f => f.FileNo == fileNo);

    private static bool TryNativeData(ReadOnlySpan<byte> apdu, out byte[] data)
    {
        data = [];
        if (apdu.Length == 4 || apdu.Length == 5)
            return true;
        int lc = apdu[4];
        if (apdu.Length != 5 + lc && apdu.Length != 6 + lc)
            return false;
        data = apdu.Slice(5, lc).ToArray();
        return true;
    }

    private byte[] Fail(ushort sw)
    {
        _session = null;
        return Sw(sw);
    }

    private static byte[]? Error(ushort sw, out ushort error)
    {
        error = sw;
        return null;
    }

    private static byte[] Sw(ushort sw) => [(byte)(sw >> 8), (byte)sw];
}
