using System.Buffers.Binary;

namespace BoltGate.ParserFuzz;

/// <summary>Reads structured values off fuzz bytes; past the end it reads zeros, so every input is usable.</summary>
internal sealed class ByteReader(byte[] bytes)
{
    private int _pos;

    public byte Byte() => _pos < bytes.Length ? bytes[_pos++] : (byte)0;

    public bool Flag() => (Byte() & 1) == 1;

    public byte[] Bytes(int count)
    {
        var result = new byte[count];
        for (var i = 0; i < count; i++)
            result[i] = Byte();
        return result;
    }

    public ushort UInt16() => BinaryPrimitives.ReadUInt16BigEndian(Bytes(2));

    public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Bytes(4));

    public ulong UInt64() => BinaryPrimitives.ReadUInt64BigEndian(Bytes(8));
}
