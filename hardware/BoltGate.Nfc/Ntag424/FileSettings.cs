namespace BoltGate.Nfc.Ntag424;

/// <summary>
/// A standard data file's settings. <see cref="ToChangeData"/> is the ChangeFileSettings payload
/// (FileOption || AccessRights || [SDM]); GetFileSettings answers FileType || the same with FileSize
/// inserted after the access rights.
/// </summary>
public sealed record FileSettings(CommMode CommMode, AccessRights Access, SdmSettings? Sdm = null, int FileSize = 0)
{
    /// <summary>Factory settings of the NDEF file 02: plain, R/W/RW free, Change key 0, SDM off.</summary>
    public static FileSettings FactoryNdef { get; } = new(CommMode.Plain, new AccessRights(AccessRights.Free, AccessRights.Free, AccessRights.Free, 0), null, 256);

    /// <summary>The Boltcard NDEF setting: plain, free read, write/RW/change with key 0, SUN with K1/K2.</summary>
    public static FileSettings BoltcardNdef(int piccDataOffset, int macOffset) =>
        new(CommMode.Plain, new AccessRights(AccessRights.Free, 0, 0, 0), SdmSettings.Boltcard(piccDataOffset, macOffset), 256);

    public byte FileOption => (byte)((Sdm is null ? 0 : 0x40) | (byte)CommMode);

    public byte[] ToChangeData()
    {
        var output = new List<byte>(32) { FileOption };
        Span<byte> ar = stackalloc byte[2];
        Access.WriteTo(ar);
        output.Add(ar[0]);
        output.Add(ar[1]);
        Sdm?.WriteTo(output);
        return [.. output];
    }

    /// <summary>The GetFileSettings answer for this file (FileType 00 = standard data file).</summary>
    public byte[] ToGetData()
    {
        var output = new List<byte>(40) { 0x00, FileOption };
        Span<byte> ar = stackalloc byte[2];
        Access.WriteTo(ar);
        output.Add(ar[0]);
        output.Add(ar[1]);
        output.Add((byte)FileSize);
        output.Add((byte)(FileSize >> 8));
        output.Add((byte)(FileSize >> 16));
        Sdm?.WriteTo(output);
        return [.. output];
    }

    public static bool TryParseChangeData(ReadOnlySpan<byte> data, int fileSize, out FileSettings settings) =>
        TryParse(data, 0, hasSize: false, fileSize, out settings);

    public static bool TryParseGetData(ReadOnlySpan<byte> data, out FileSettings settings) =>
        TryParse(data, 1, hasSize: true, 0, out settings);

    private static bool TryParse(ReadOnlySpan<byte> data, int pos, bool hasSize, int fileSize, out FileSettings settings)
    {
        settings = FactoryNdef;
        if (data.Length < pos + 3 + (hasSize ? 3 : 0))
            return false;
        var option = data[pos];
        if ((option & 0xBC) != 0 || (option & 0x03) == 2)
            return false;
        var access = AccessRights.FromBytes(data.Slice(pos + 1, 2));
        pos += 3;
        if (hasSize)
        {
            fileSize = data[pos] | (data[pos + 1] << 8) | (data[pos + 2] << 16);
            pos += 3;
        }
        SdmSettings? sdm = null;
        if ((option & 0x40) != 0)
        {
            if (!SdmSettings.TryRead(data, ref pos, out var s))
                return false;
            sdm = s;
        }
        if (pos != data.Length)
            return false;
        settings = new FileSettings((CommMode)(option & 0x03), access, sdm, fileSize);
        return true;
    }
}
