using BoltGate.Core.Payments;

namespace BoltGate.Storage.Withdrawals;

/// <summary>
/// The outcome of a conditional state change. <see cref="Applied"/> only for the one caller whose
/// expected state still held; a second instance sees <see cref="WrongState"/> and the current state.
/// </summary>
public abstract record TransitionResult
{
    private TransitionResult()
    {
    }

    public sealed record Applied(Withdrawal Withdrawal) : TransitionResult;

    public sealed record WrongState(WithdrawalState Current) : TransitionResult;

    public sealed record NotFound : TransitionResult;
}
