namespace BoltGate.Lightning.Lnd;

/// <summary>Timing knobs of <see cref="LndRestClient"/>; the defaults suit a Boltcard tap.</summary>
public sealed record LndRestOptions
{
    /// <summary>
    /// How much earlier than our deadline lnd is told to stop new attempts (<c>timeout_seconds</c>),
    /// so that a payment with nothing in flight is reported FAILED before we stop reading.
    /// </summary>
    public TimeSpan NodeMargin { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Budget of the look-up by hash made when our deadline cut a payment stream off.</summary>
    public TimeSpan TrackGrace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a payment or track stream may stay silent before lnd is asked by hash (a fresh track
    /// request's first message is the current state). lnd #9881: a stream can hang while the payment
    /// has in fact ended; this makes the end known within seconds instead of at the deadline.
    /// </summary>
    public TimeSpan SilencePoll { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Deadline of every other request (get info, invoices, probes, track).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
