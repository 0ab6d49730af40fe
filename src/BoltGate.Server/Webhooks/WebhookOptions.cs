namespace BoltGate.Server.Webhooks;

/// <summary>The <c>Webhooks:*</c> settings (docs/configuration.md).</summary>
public sealed class WebhookOptions
{
    /// <summary>Deliver to loopback, private, link-local and other non-public addresses (tests, a receiver on the same LAN). Off by default.</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>How long a receiver has to answer one attempt (connect included).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the worker looks for new events and due retries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long after an event's first attempt the worker gives up on it.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(1);
}
