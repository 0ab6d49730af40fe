namespace BoltGate.Core.Bolt11;

/// <summary>The outcome of <see cref="Bolt11Decoder.Decode"/>: a verified invoice or the reason it was refused.</summary>
public abstract record Bolt11DecodeResult
{
    private Bolt11DecodeResult()
    {
    }

    public sealed record Ok(Bolt11Invoice Invoice) : Bolt11DecodeResult;

    public sealed record Error(Bolt11ErrorCode Code, string Message) : Bolt11DecodeResult;
}
