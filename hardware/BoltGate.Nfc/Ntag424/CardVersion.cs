namespace BoltGate.Nfc.Ntag424;

/// <summary>GetVersion's three frames: hardware info, software info, and UID / batch / production date.</summary>
public sealed record CardVersion(byte[] Hardware, byte[] Software, byte[] Production)
{
    /// <summary>The 7-byte UID from the production frame; all zeros when Random ID is on.</summary>
    public ReadOnlySpan<byte> Uid => Production.AsSpan(0, 7);

    public bool IsNtag424Dna => Hardware.Length >= 2 && Hardware[0] == 0x04 && Hardware[1] == 0x04;

    public bool UidHidden => !Uid.ContainsAnyExcept((byte)0);

    public int ProductionWeek => Production.Length >= 14 ? FromBcd(Production[12]) : 0;

    public int ProductionYear => Production.Length >= 14 ? 2000 + FromBcd(Production[13]) : 0;

    private static int FromBcd(byte b) => (b >> 4) * 10 + (b & 0xF);
}
