namespace BoltGate.Nfc.Transport;

/// <summary>The link to the card broke (card pulled, reader unplugged, daemon gone). Infrastructure, not a card answer.</summary>
public sealed class CardTransportException : Exception
{
    public CardTransportException(string message)
        : base(message)
    {
    }

    public CardTransportException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
