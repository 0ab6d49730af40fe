using BoltGate.Nfc.Ntag424;

namespace BoltGate.Nfc.Virtual;

/// <summary>One standard data file of the virtual card: number, ISO file id, content and settings.</summary>
internal sealed class VirtualFile(byte fileNo, ushort fileId, byte[] content, FileSettings settings)
{
    public byte FileNo { get; } = fileNo;

    public ushort FileId { get; } = fileId;

    public byte[] Content { get; } = content;

    public FileSettings Settings { get; set; } = settings;
}
