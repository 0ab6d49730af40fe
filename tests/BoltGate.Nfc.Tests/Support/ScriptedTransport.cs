using BoltGate.Core.Crypto;
using BoltGate.Nfc.Transport;

namespace BoltGate.Nfc.Tests.Support;

/// <summary>A card that expects exactly the given command APDUs, in order, and answers with the given responses.</summary>
internal sealed class ScriptedTransport(params (string Command, string Response)[] script) : ICardTransport
{
    private int _next;

    public Task<byte[]> TransmitAsync(ReadOnlyMemory<byte> command, CancellationToken cancellationToken)
    {
        Assert.True(_next < script.Length, $"Unexpected extra APDU {Hex.Upper(command.Span)}");
        var (expected, response) = script[_next++];
        Assert.Equal(expected.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant(), Hex.Upper(command.Span));
        return Task.FromResult(Hex.Decode(response.Replace(" ", "", StringComparison.Ordinal)));
    }

    public void AssertDone() => Assert.Equal(script.Length, _next);
}
