using BoltGate.Core.Crypto;
using BoltGate.Server.Errors;
using BoltGate.Storage;

namespace BoltGate.Server.Hardening;

/// <summary>
/// The callback's limits: refused callbacks per address, wrong PINs per address and per card (the card of
/// the k1's tap). A wrong PIN does not use up its k1, so without these one tap could carry a burst of guesses.
/// </summary>
public sealed class CallbackLimits(FailureLimiter failures, BoltGateStore store)
{
    /// <summary>A RATE_LIMITED refusal when this callback must wait; and the k1's card when a PIN came with it.</summary>
    public async Task<(Refusal? Blocked, string? CardId)> CheckAsync(string address, string k1, bool pinGiven, CancellationToken ct)
    {
        if (failures.Blocked(LimitedFailure.CallbackByAddress, address) is { } wait)
            return (Limited("Too many refused callbacks from this address", wait), null);
        if (!pinGiven)
            return (null, null);
        if (failures.Blocked(LimitedFailure.PinByAddress, address) is { } pinWait)
            return (Limited("Too many wrong PINs from this address", pinWait), null);
        var cardId = Hex.TryDecode(k1, 16) is null ? null : (await store.GetSessionAsync(k1.ToLowerInvariant(), ct).ConfigureAwait(false))?.CardId;
        if (cardId is not null && failures.Blocked(LimitedFailure.PinByCard, cardId) is { } cardWait)
            return (Limited("Too many wrong PINs on this card", cardWait), cardId);
        return (null, cardId);
    }

    /// <summary>Counts a refused callback: a wrong PIN per address and card; a request that names no usable session or invoice per address.</summary>
    public void Failed(string address, string? cardId, Refusal refusal, bool pinGiven)
    {
        switch (refusal.Error)
        {
            case GatewayError.PinWrong or GatewayError.CardLocked when pinGiven:
                failures.Failed(LimitedFailure.PinByAddress, address);
                if (cardId is not null)
                    failures.Failed(LimitedFailure.PinByCard, cardId);
                break;
            case GatewayError.BadRequest or GatewayError.K1Unknown or GatewayError.K1Expired or GatewayError.K1Used
                or GatewayError.InvoiceInvalid or GatewayError.InvoiceUsed:
                failures.Failed(LimitedFailure.CallbackByAddress, address);
                break;
        }
    }

    private static Refusal Limited(string why, TimeSpan wait) =>
        new(GatewayError.RateLimited, $"{why}; try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} s.") { RetryAfter = wait };
}
