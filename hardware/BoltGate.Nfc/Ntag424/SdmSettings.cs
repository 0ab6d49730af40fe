namespace BoltGate.Nfc.Ntag424;

/// <summary>
/// Secure Dynamic Messaging settings of file 02 (ChangeFileSettings / GetFileSettings), offsets as
/// byte positions in the NDEF file. Which offsets exist depends on the options and access rights.
/// </summary>
public sealed record SdmSettings
{
    public bool UidMirror { get; init; }

    public bool ReadCounterMirror { get; init; }

    public bool ReadCounterLimitEnabled { get; init; }

    public bool EncryptedFileData { get; init; }

    /// <summary>SDMOptions bit 0: mirror as ASCII hex (the only encoding the chip supports).</summary>
    public bool Ascii { get; init; } = true;

    public byte CounterRetrieveKey { get; init; } = AccessRights.Never;

    public byte MetaReadKey { get; init; } = AccessRights.Never;

    public byte FileReadKey { get; init; } = AccessRights.Never;

    public int UidOffset { get; init; }

    public int ReadCounterOffset { get; init; }

    public int PiccDataOffset { get; init; }

    public int MacInputOffset { get; init; }

    public int EncOffset { get; init; }

    public int EncLength { get; init; }

    public int MacOffset { get; init; }

    public int ReadCounterLimit { get; init; }

    /// <summary>The Boltcard setting: encrypted PICCData (UID + counter) with K1, MAC with K2 over an empty input.</summary>
    public static SdmSettings Boltcard(int piccDataOffset, int macOffset) => new()
    {
        UidMirror = true,
        ReadCounterMirror = true,
        CounterRetrieveKey = AccessRights.Never,
        MetaReadKey = 1,
        FileReadKey = 2,
        PiccDataOffset = piccDataOffset,
        MacInputOffset = macOffset,
        MacOffset = macOffset,
    };

    public byte Options =>
        (byte)((UidMirror ? 0x80 : 0) | (ReadCounterMirror ? 0x40 : 0) | (ReadCounterLimitEnabled ? 0x20 : 0)
            | (EncryptedFileData ? 0x10 : 0) | (Ascii ? 0x01 : 0));

    internal void WriteTo(List<byte> output)
    {
        output.Add(Options);
        output.Add((byte)(0xF0 | CounterRetrieveKey));
        output.Add((byte)((MetaReadKey << 4) | FileReadKey));
        if (UidMirror && MetaReadKey == AccessRights.Free)
            Add3(output, UidOffset);
        if (ReadCounterMirror && MetaReadKey == AccessRights.Free)
            Add3(output, ReadCounterOffset);
        if (MetaReadKey <= 4)
            Add3(output, PiccDataOffset);
        if (FileReadKey != AccessRights.Never)
        {
            Add3(output, MacInputOffset);
            if (EncryptedFileData)
            {
                Add3(output, EncOffset);
                Add3(output, EncLength);
            }
            Add3(output, MacOffset);
        }
        if (ReadCounterLimitEnabled)
            Add3(output, ReadCounterLimit);
    }

    internal static bool TryRead(ReadOnlySpan<byte> data, ref int pos, out SdmSettings settings)
    {
        settings = new SdmSettings();
        if (data.Length < pos + 3)
            return false;
        var options = data[pos];
        var ar0 = data[pos + 1];
        var ar1 = data[pos + 2];
        pos += 3;
        var s = new SdmSettings
        {
            UidMirror = (options & 0x80) != 0,
            ReadCounterMirror = (options & 0x40) != 0,
            ReadCounterLimitEnabled = (options & 0x20) != 0,
            EncryptedFileData = (options & 0x10) != 0,
            Ascii = (options & 0x01) != 0,
            CounterRetrieveKey = (byte)(ar0 & 0xF),
            MetaReadKey = (byte)(ar1 >> 4),
            FileReadKey = (byte)(ar1 & 0xF),
        };
        int Next(ref int p, ReadOnlySpan<byte> d)
        {
            var v = d[p] | (d[p + 1] << 8) | (d[p + 2] << 16);
            p += 3;
            return v;
        }
        var needed = 0;
        if (s.UidMirror && s.MetaReadKey == AccessRights.Free)
            needed++;
        if (s.ReadCounterMirror && s.MetaReadKey == AccessRights.Free)
            needed++;
        if (s.MetaReadKey <= 4)
            needed++;
        if (s.FileReadKey != AccessRights.Never)
            needed += s.EncryptedFileData ? 4 : 2;
        if (s.ReadCounterLimitEnabled)
            needed++;
        if (data.Length < pos + 3 * needed)
            return false;
        if (s.UidMirror && s.MetaReadKey == AccessRights.Free)
            s = s with { UidOffset = Next(ref pos, data) };
        if (s.ReadCounterMirror && s.MetaReadKey == AccessRights.Free)
            s = s with { ReadCounterOffset = Next(ref pos, data) };
        if (s.MetaReadKey <= 4)
            s = s with { PiccDataOffset = Next(ref pos, data) };
        if (s.FileReadKey != AccessRights.Never)
        {
            s = s with { MacInputOffset = Next(ref pos, data) };
            if (s.EncryptedFileData)
            {
                s = s with { EncOffset = Next(ref pos, data) };
                s = s with { EncLength = Next(ref pos, data) };
            }
            s = s with { MacOffset = Next(ref pos, data) };
        }
        if (s.ReadCounterLimitEnabled)
            s = s with { ReadCounterLimit = Next(ref pos, data) };
        settings = s;
        return true;
    }

    private static void Add3(List<byte> output, int value)
    {
        if (value is < 0 or > 0xFFFFFF)
            throw new ArgumentOutOfRangeException(nameof(value), "SDM offsets are 3 bytes.");
        output.Add((byte)value);
        output.Add((byte)(value >> 8));
        output.Add((byte)(value >> 16));
    }
}
