using System.Collections.Concurrent;
using BoltGate.Core.Crypto;
using BoltGate.Lightning;
using BoltGate.Storage;
using BoltGate.Storage.Topups;

namespace BoltGate.Server.Topups;

/// <summary>
/// Waits on the node for every open top-up (LND's invoice subscription, Core Lightning's waitinvoice,
/// the simulated node's wait) and records what the node reports: paid credits the card once (the store
/// holds that), expired or canceled marks the top-up expired. At start-up it picks up every top-up still
/// open, so one paid while the gateway was down is credited then (the node's first answer is the
/// invoice's current state). A broken wait (node down) is started again after a pause.
/// </summary>
public sealed partial class TopupWatcher(BoltGateStore store, ILightningNode node, TimeProvider time, ILogger<TopupWatcher> log)
    : BackgroundService
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, Task> _watching = new(StringComparer.Ordinal);
    private CancellationToken _stopping = CancellationToken.None;

    /// <summary>Starts waiting for a top-up's payment (no-op when already waiting).</summary>
    public void Watch(Topup topup)
    {
        ArgumentNullException.ThrowIfNull(topup);
        if (_stopping.IsCancellationRequested)
            return;
        _watching.GetOrAdd(topup.PaymentHashHex, _ => Task.Run(() => WatchAsync(topup, _stopping)));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var topup in await store.ListOpenTopupsAsync(stoppingToken).ConfigureAwait(false))
                    Watch(topup);
                break;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
            {
                LogWaitBroke(log, "(start-up)", e.Message);
                await Task.Delay(RetryPause, time, stoppingToken).ConfigureAwait(false);
            }
        }
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await Task.WhenAll(_watching.Values).ConfigureAwait(false);
    }

    private async Task WatchAsync(Topup topup, CancellationToken ct)
    {
        var hash = Bytes32.FromSpan(Hex.Decode(topup.PaymentHashHex));
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    var status = await node.WaitInvoiceAsync(hash, ct).ConfigureAwait(false);
                    switch (status.State)
                    {
                        case InvoiceState.Paid:
                            var received = status.AmountReceived is { IsPositive: true } r ? r : topup.Amount;
                            var result = await store.MarkTopupPaidAsync(topup.PaymentHashHex, received, status.PaidAt ?? time.GetUtcNow(), ct)
                                .ConfigureAwait(false);
                            if (result == TopupPaidResult.Credited)
                                LogCredited(log, topup.Id, topup.CardId, received.Value);
                            return;
                        case InvoiceState.Expired or InvoiceState.Canceled:
                            await store.MarkTopupExpiredAsync(topup.PaymentHashHex, ct).ConfigureAwait(false);
                            return;
                        default:
                            continue; // still open: wait again
                    }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is LightningNodeException or HttpRequestException or IOException or System.Data.Common.DbException
                    or TimeoutException)
                {
                    LogWaitBroke(log, topup.Id, e.Message);
                    try
                    {
                        await Task.Delay(RetryPause, time, ct).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            _watching.TryRemove(topup.PaymentHashHex, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Top-up {TopupId} paid: card {CardId} credited {AmountMsat} msat")]
    private static partial void LogCredited(ILogger logger, string topupId, string cardId, long amountMsat);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting on the node for top-up {TopupId} broke ({Message}); waiting again shortly")]
    private static partial void LogWaitBroke(ILogger logger, string topupId, string message);
}
