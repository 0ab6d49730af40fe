namespace BoltGate.Core.Sun;

/// <summary>
/// The outcome of checking a tap, as a value: verified with the card's UID and read counter, or
/// rejected with a <see cref="SunRejection"/>. A struct, so verification allocates nothing.
/// </summary>
public readonly record struct SunResult
{
    private SunResult(bool isVerified, CardUid uid, uint counter, SunRejection? rejection)
    {
        IsVerified = isVerified;
        Uid = uid;
        Counter = counter;
        Rejection = rejection;
    }

    public bool IsVerified { get; }

    /// <summary>The card's UID; <c>default</c> when rejected.</summary>
    public CardUid Uid { get; }

    /// <summary>SDMReadCtr (0..0xFFFFFF); 0 when rejected. The caller must still require it to increase.</summary>
    public uint Counter { get; }

    /// <summary>Why the tap was rejected; null when verified.</summary>
    public SunRejection? Rejection { get; }

    public static SunResult Verified(CardUid uid, uint counter) => new(true, uid, counter, null);

    public static SunResult Rejected(SunRejection reason) => new(false, default, 0, reason);

    public override string ToString() =>
        IsVerified ? $"Verified(uid={Uid}, counter={Counter})" : $"Rejected({Rejection})";
}
