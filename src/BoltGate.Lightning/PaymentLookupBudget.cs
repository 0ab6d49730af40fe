namespace BoltGate.Lightning;

/// <summary>
/// Asks a node about a payment within a time budget. A node that does not answer in time has told us
/// nothing, so the answer is <see cref="PaymentLookup.Unavailable"/>: never a reason to refund.
/// Cancellation by the caller still throws.
/// </summary>
internal static class PaymentLookupBudget
{
    public static async Task<PaymentLookup> WithinAsync(
        Func<CancellationToken, Task<PaymentLookup>> lookup, TimeSpan budget, TimeProvider time, string timedOut, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        using var timeout = new CancellationTokenSource(budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            return await lookup(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new PaymentLookup.Unavailable(timedOut);
        }
    }
}
