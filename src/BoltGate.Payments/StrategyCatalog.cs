using BoltGate.Core.Payments;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Payments;

/// <summary>Maps a stored <see cref="PaymentPolicy"/> to its strategy with the configured parameters.</summary>
public sealed class StrategyCatalog(PaymentEngineOptions options)
{
    public IPaymentStrategy For(PaymentPolicy policy) => policy switch
    {
        PaymentPolicy.FastFail => FastFailStrategy.Instance,
        PaymentPolicy.GradedRetry => options.GradedRetry,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown payment policy."),
    };
}
