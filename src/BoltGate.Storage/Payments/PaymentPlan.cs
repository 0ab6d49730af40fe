using BoltGate.Storage.Withdrawals;

namespace BoltGate.Storage.Payments;

/// <summary>
/// How the engine must drive one withdrawal: its effective policy (the withdrawal's own, else its
/// card's) and, for a withdrawal waiting for a retry, when the next attempt is due.
/// </summary>
public sealed record PaymentPlan(PaymentPolicy Policy, DateTimeOffset? NextAttemptAt);
