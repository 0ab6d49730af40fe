using BoltGate.Storage.Withdrawals;

namespace BoltGate.Server.Payments;

/// <summary>
/// Takes a withdrawal that the callback reserved and drives it to an outcome. The seam the payment
/// engine (FastFail/GradedRetry strategies, reconciler) replaces; until then <see cref="SinglePaymentExecutor"/>
/// pays once with the deadline.
/// </summary>
public interface IPaymentExecutor
{
    /// <summary>Returns the withdrawal as it stands afterwards (Succeeded, Failed, or InFlight when unknown).</summary>
    Task<Withdrawal> ExecuteAsync(Withdrawal reserved, CancellationToken ct);
}
