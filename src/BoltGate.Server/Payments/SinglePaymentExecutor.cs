using BoltGate.Core.Crypto;
using BoltGate.Core.Payments;
using BoltGate.Lightning;
using BoltGate.Server.Metrics;
using BoltGate.Storage;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Server.Payments;

/// <summary>
/// Pays a reserved withdrawal once through the node: Reserved → Sending is committed before the node is
/// called (so a crash is recoverable by payment hash); then Succeeded settles, a definitive Failed
/// refunds at once, and anything else (unknown outcome, deadline, exception) leaves the funds reserved in
/// InFlight for the reconciler, because refunding while an HTLC may still settle would create money.
/// </summary>
public sealed partial class SinglePaymentExecutor(
    BoltGateStore store, ILightningNode node, GatewayMetrics metrics, ILogger<SinglePaymentExecutor> logger) : IPaymentExecutor
{
    public async Task<Withdrawal> ExecuteAsync(Withdrawal reserved, CancellationToken ct)
    {
        if (await store.MarkSendingAsync(reserved.Id, ct).ConfigureAwait(false) is not TransitionResult.Applied { Withdrawal: var w })
            return await store.GetWithdrawalAsync(reserved.Id, ct).ConfigureAwait(false) ?? reserved;

        PaymentOutcome outcome;
        try
        {
            outcome = await node.PayAsync(
                new PayRequest(w.Bolt11, Bytes32.ParseHex(w.PaymentHashHex), w.Amount, w.FeeReserve, w.Deadline), null, ct)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogPayThrew(logger, e, w.Id);
            outcome = new PaymentOutcome.Unknown("The node call failed: " + e.Message);
        }

        TransitionResult result = outcome switch
        {
            PaymentOutcome.Succeeded s => await store.SettleAsync(w.Id, s.Preimage, s.Fee, CancellationToken.None).ConfigureAwait(false),
            PaymentOutcome.Failed f => await store.FailAsync(w.Id, f.Kind, f.NodeMessage, CancellationToken.None).ConfigureAwait(false),
            PaymentOutcome.Unknown u => await store.MarkInFlightAsync(w.Id, u.Reason, CancellationToken.None).ConfigureAwait(false),
            _ => throw new InvalidOperationException("Unexpected payment outcome " + outcome.GetType().Name),
        };
        var final = result is TransitionResult.Applied applied
            ? applied.Withdrawal
            : await store.GetWithdrawalAsync(w.Id, CancellationToken.None).ConfigureAwait(false) ?? w;
        metrics.Withdrawals.WithLabels(final.State.ToString()).Inc();
        LogOutcome(logger, final.Id, final.State, final.FailureCode);
        return final;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Paying withdrawal {WithdrawalId} threw; its outcome is unknown and it stays reserved.")]
    private static partial void LogPayThrew(ILogger logger, Exception e, string withdrawalId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Withdrawal {WithdrawalId} is {State} {FailureCode}")]
    private static partial void LogOutcome(ILogger logger, string withdrawalId, WithdrawalState state, string? failureCode);
}
