using BoltGate.Core.Payments;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Payments;

/// <summary>Everything the engine and the reconciler can be told; every default is a working choice.</summary>
public sealed record PaymentEngineOptions
{
    /// <summary>The deadline of each attempt (a retry gets a fresh window from the invoice's remaining life).</summary>
    public DeadlinePolicy Deadlines { get; init; } = DeadlinePolicy.Default;

    /// <summary>The schedule for withdrawals whose policy is <see cref="PaymentPolicy.GradedRetry"/>.</summary>
    public GradedRetryStrategy GradedRetry { get; init; } = new();

    /// <summary>Who pays a successful payment's routing fee.</summary>
    public FeePayer FeePayer { get; init; } = FeePayer.Card;

    /// <summary>How long the callback waits for an outcome before answering "pending" (well under 30 s POS timeouts).</summary>
    public TimeSpan CallbackBudget { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long past the deadline the engine still waits for the node's answer (the clients do a short
    /// look-up by hash when the deadline cuts them off) before it calls the outcome unknown and tracks it.
    /// </summary>
    public TimeSpan DeadlineGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First and longest wait between look-ups of a payment whose outcome is unknown (doubling in between).</summary>
    public TimeSpan TrackFirstPoll { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan TrackMaxPoll { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a claim on a withdrawal lasts without renewal; another instance takes over after it lapses.
    /// Short, so a dead instance's payments are taken over within seconds: a live owner renews it every
    /// <see cref="LeaseRenewEvery"/> for as long as it drives the withdrawal, however long the payment takes.
    /// </summary>
    public TimeSpan LeaseFor { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a live engine renews the leases of the withdrawals it drives (well under <see cref="LeaseFor"/>).</summary>
    public TimeSpan LeaseRenewEvery { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the reconciler looks for withdrawals no one drives (crash leftovers, due retries).</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A never-sent withdrawal younger than this belongs to the callback that reserved it, not to the reconciler.</summary>
    public TimeSpan FreshFor { get; init; } = TimeSpan.FromSeconds(10);

    public int ReconcileBatch { get; init; } = 100;

    /// <summary>Checks the options make sense; returns a message naming the bad one, or null.</summary>
    public string? Validate()
    {
        if (CallbackBudget <= TimeSpan.Zero)
            return "CallbackBudget must be positive.";
        if (DeadlineGrace < TimeSpan.Zero)
            return "DeadlineGrace must not be negative.";
        if (TrackFirstPoll <= TimeSpan.Zero || TrackMaxPoll < TrackFirstPoll)
            return "TrackFirstPoll must be positive and at most TrackMaxPoll.";
        if (LeaseRenewEvery <= TimeSpan.Zero || LeaseFor < LeaseRenewEvery + LeaseRenewEvery)
            return "LeaseRenewEvery must be positive and LeaseFor at least twice it, or a live owner's lease could lapse between renewals.";
        if (ReconcileInterval <= TimeSpan.Zero || FreshFor < TimeSpan.Zero)
            return "ReconcileInterval must be positive and FreshFor not negative.";
        if (ReconcileBatch < 1)
            return "ReconcileBatch must be at least 1.";
        return Deadlines.Validate() ?? GradedRetry.Validate();
    }
}
