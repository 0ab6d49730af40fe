using BoltGate.Core.Crypto;
using BoltGate.Core.Sun;
using FsCheck;
using FsCheck.Fluent;

namespace BoltGate.Core.Tests.Sun;

/// <summary>A card's keys and one tap's inputs, drawn at random (uniform bytes, counters incl. the edges).</summary>
public sealed record TapCase(byte[] K1, byte[] K2, CardUid Uid, uint Counter, byte[] Padding)
{
    public override string ToString() =>
        $"k1={Hex.Lower(K1)} k2={Hex.Lower(K2)} uid={Uid} counter={Counter} padding={Hex.Lower(Padding)}";
}

public static class SunGen
{
    public static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(i => (byte)i);

    public static readonly Gen<uint> Counter = Gen.OneOf(
        Gen.Elements(0u, 1u, 0xFFu, 0x100u, 0xFFFFu, 0x10000u, SunMac.MaxCounter),
        Gen.Choose(0, (int)SunMac.MaxCounter).Select(i => (uint)i));

    public static readonly Gen<TapCase> Tap =
        from k1 in Bytes(16)
        from k2 in Bytes(16)
        from uid in Bytes(7)
        from counter in Counter
        from padding in Bytes(5)
        select new TapCase(k1, k2, CardUid.FromBytes(uid), counter, padding);

    /// <summary>Strings near the accepted shape (hex-ish, lengths around 16 and 32) plus arbitrary ones and null.</summary>
    public static readonly Gen<string?> HostileString = Gen.OneOf(
        ArbMap.Default.GeneratorFor<string?>(),
        Gen.Choose(0, 40).SelectMany(n =>
            Gen.Elements("0123456789abcdefABCDEFgGxX -+\t\n\0\u00e9\u0660\uff10\ud800".ToCharArray())
                .ArrayOf(n).Select(cs => (string?)new string(cs))));

    public static Gen<byte[]> Bytes(int length) => AnyByte.ArrayOf(length);
}
