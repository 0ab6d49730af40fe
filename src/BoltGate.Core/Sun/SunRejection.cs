namespace BoltGate.Core.Sun;

/// <summary>Why a tap's <c>p</c>/<c>c</c> pair was not accepted.</summary>
public enum SunRejection
{
    /// <summary><c>p</c> is not exactly 32 hex characters or <c>c</c> not exactly 16.</summary>
    Malformed,

    /// <summary>PICCData did not decrypt to tag 0xC7 under K1: wrong K1, or not a Boltcard.</summary>
    NotBoltcard,

    /// <summary>PICCData decrypted, but <c>c</c> is not the card's MAC under K2 (tampered, replayed pair, wrong K2).</summary>
    BadMac,
}
