namespace BoltGate.Core.Payments;

/// <summary>
/// How long one payment may take. <c>deadline = min(invoice expiry − safety margin, start + maximum)</c>,
/// and a payment is refused before anything is reserved when less than <see cref="MinimumWindow"/>
/// would be left (DESIGN.md, "Deadline").
/// </summary>
public sealed record DeadlinePolicy
{
    /// <summary>Kept between our deadline and the invoice's expiry, so the last HTLC we send can
    /// still reach the payee before the payee's node rejects it as expired.</summary>
    public TimeSpan SafetyMargin { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest one attempt window may last, however long the invoice lives.</summary>
    public TimeSpan Maximum { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Below this much time between now and the deadline a payment is not started.</summary>
    public TimeSpan MinimumWindow { get; init; } = TimeSpan.FromSeconds(10);

    public static DeadlinePolicy Default { get; } = new();

    /// <summary>The deadline of a payment started at <paramref name="now"/> for an invoice that
    /// expires at <paramref name="invoiceExpiresAt"/>, or null when the window is too short.</summary>
    public DateTimeOffset? DeadlineFor(DateTimeOffset invoiceExpiresAt, DateTimeOffset now)
    {
        var byInvoice = invoiceExpiresAt - SafetyMargin;
        var byPolicy = now + Maximum;
        var deadline = byInvoice < byPolicy ? byInvoice : byPolicy;
        return deadline - now >= MinimumWindow ? deadline : null;
    }

    /// <summary>Checks the options make sense; returns a message naming the bad one, or null.</summary>
    public string? Validate()
    {
        if (SafetyMargin < TimeSpan.Zero)
            return "SafetyMargin must not be negative.";
        if (Maximum <= TimeSpan.Zero)
            return "Maximum must be positive.";
        if (MinimumWindow <= TimeSpan.Zero)
            return "MinimumWindow must be positive.";
        if (MinimumWindow > Maximum)
            return "MinimumWindow must not exceed Maximum, or no payment could ever start.";
        return null;
    }
}
