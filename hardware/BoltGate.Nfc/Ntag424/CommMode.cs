namespace BoltGate.Nfc.Ntag424;

/// <summary>Communication mode of a file or command (FileOption bits 1-0).</summary>
public enum CommMode : byte
{
    Plain = 0,
    Mac = 1,
    Full = 3,
}
