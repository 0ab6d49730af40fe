namespace BoltGate.Core.Bolt11;

public enum FallbackKind
{
    /// <summary>Version 0..16: a segwit witness program.</summary>
    Witness,

    /// <summary>Version 17: pay to public key hash.</summary>
    P2pkh,

    /// <summary>Version 18: pay to script hash.</summary>
    P2sh,
}

/// <summary>An <c>f</c> field: an on-chain address to pay instead. BoltGate never pays on chain; kept for display.</summary>
public sealed record Fallback(int Version, byte[] Program, FallbackKind Kind, string Address)
{
    public string ProgramHex => Convert.ToHexStringLower(Program);
}
