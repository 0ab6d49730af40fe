using BoltGate.Core.Crypto;

namespace BoltGate.Nfc.Tests.Support;

/// <summary>A "random" source that hands out the given hex values in order (RndA, RndB, TI, padding from a vector).</summary>
internal static class FixedRandom
{
    public static Action<Span<byte>> Of(params string[] values)
    {
        var queue = new Queue<byte[]>(values.Select(Hex.Decode));
        return span =>
        {
            Assert.True(queue.Count > 0, "The vector's random values ran out.");
            var next = queue.Dequeue();
            Assert.Equal(next.Length, span.Length);
            next.CopyTo(span);
        };
    }
}
