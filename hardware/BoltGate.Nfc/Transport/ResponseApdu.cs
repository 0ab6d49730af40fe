namespace BoltGate.Nfc.Transport;

/// <summary>A response APDU split into its data and status word.</summary>
public readonly record struct ResponseApdu(byte[] Data, ushort StatusWord)
{
    public byte Sw1 => (byte)(StatusWord >> 8);

    public byte Sw2 => (byte)StatusWord;

    public static ResponseApdu Parse(ReadOnlySpan<byte> raw)
    {
        if (raw.Length < 2)
            throw new CardTransportException($"Response APDU of {raw.Length} bytes has no status word.");
        return new ResponseApdu(raw[..^2].ToArray(), (ushort)((raw[^2] << 8) | raw[^1]));
    }

    public override string ToString() => $"{Convert.ToHexString(Data)} {StatusWord:X4}";
}
