using System.Buffers.Binary;

namespace BoltGate.Nfc.Ntag424;

/// <summary>
/// The plaintext KeyData of ChangeKey (before padding and encryption): for the key the session was
/// authenticated with, NewKey || KeyVer; for any other key, (NewKey XOR OldKey) || KeyVer || JAMCRC(NewKey) LE.
/// </summary>
public static class ChangeKeyData
{
    public static byte[] ForAuthenticationKey(ReadOnlySpan<byte> newKey, byte version)
    {
        RequireKey(newKey);
        var data = new byte[17];
        newKey.CopyTo(data);
        data[16] = version;
        return data;
    }

    public static byte[] ForOtherKey(ReadOnlySpan<byte> newKey, ReadOnlySpan<byte> oldKey, byte version)
    {
        RequireKey(newKey);
        RequireKey(oldKey);
        var data = new byte[21];
        for (var i = 0; i < 16; i++)
            data[i] = (byte)(newKey[i] ^ oldKey[i]);
        data[16] = version;
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(17), Jamcrc.Compute(newKey));
        return data;
    }

    private static void RequireKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != 16)
            throw new ArgumentException("NTAG 424 keys are 16 bytes.");
    }
}
