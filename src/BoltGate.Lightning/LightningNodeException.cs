namespace BoltGate.Lightning;

/// <summary>
/// The node could not be asked at all (unreachable, refused our credentials, answered garbage) for a
/// call whose answer is not a payment value (get info, create invoice). Messages never carry secrets.
/// </summary>
public sealed class LightningNodeException : Exception
{
    public LightningNodeException(string message)
        : base(message)
    {
    }

    public LightningNodeException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
