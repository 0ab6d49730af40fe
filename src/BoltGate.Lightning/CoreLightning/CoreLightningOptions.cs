namespace BoltGate.Lightning.CoreLightning;

/// <summary>Timing knobs of <see cref="CoreLightningClient"/>.</summary>
public sealed record CoreLightningOptions
{
    /// <summary>How much earlier than our deadline the node is told to stop retrying (<c>retry_for</c>).</summary>
    public TimeSpan NodeMargin { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Budget of the listpays look-up after a pay error or our deadline.</summary>
    public TimeSpan TrackGrace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Deadline of every other call.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
