namespace BoltGate.Core.Bolt11;

/// <summary>One hop of an <c>r</c> field: the channel from <see cref="PubKey"/> towards the payee.</summary>
public sealed record RouteHintHop(
    byte[] PubKey,
    ulong ShortChannelId,
    uint FeeBaseMsat,
    uint FeeProportionalMillionths,
    ushort CltvExpiryDelta)
{
    /// <summary>Wire length of one hop in an <c>r</c> field.</summary>
    public const int EncodedLength = 33 + 8 + 4 + 4 + 2;

    public string PubKeyHex => Convert.ToHexStringLower(PubKey);

    /// <summary>The "block x tx x output" text form of the short channel id.</summary>
    public string ShortChannelIdText => $"{ShortChannelId >> 40}x{(ShortChannelId >> 16) & 0xffffff}x{ShortChannelId & 0xffff}";
}

/// <summary>One <c>r</c> field: an ordered private route from a public node to the payee.</summary>
public sealed record RouteHint(IReadOnlyList<RouteHintHop> Hops);
