using BoltGate.Core.Lnurl;
using BoltGate.Core.Money;
using BoltGate.Core.Sun;
using BoltGate.Payments;
using BoltGate.Server.Configuration;
using BoltGate.Server.Errors;
using BoltGate.Server.Hardening;
using BoltGate.Server.Taps;
using BoltGate.Storage;
using BoltGate.Storage.Sessions;

namespace BoltGate.Server.Lnurl;

/// <summary>
/// <c>GET /ln?p=&amp;c=</c>: verify the tap, and offer a withdrawal (LUD-03) of at most
/// min(balance less its fee reserve, per-tap limit, what remains of the daily limit). Nothing is
/// consumed here; the callback does that in its one transaction.
/// </summary>
public sealed class OfferService(
    TapResolver taps, BoltGateStore store, GatewayOptions options, FeeReserve fees, TimeProvider time, BalanceCheck balanceCheck,
    FailureLimiter failures)
{
    /// <param name="baseUrl">The gateway's public base (<see cref="PublicUrls.Base"/>): the callback and balanceCheck hang off it.</param>
    public async Task<(WithdrawRequest? Offer, Refusal? Refusal)> OfferAsync(string? p, string? c, string baseUrl, CancellationToken ct)
    {
        if (!SunTap.TryParse(p, c, out var tap))
            return (null, new Refusal(GatewayError.BadRequest, "p must be 32 and c 16 hex characters."));

        var (match, refusal) = await taps.ResolveAsync(tap, ct).ConfigureAwait(false);
        if (match is null)
            return (null, refusal);
        var card = match.Card;
        // Too many bad taps on this card (forged signatures, replays): even a good one waits out the window.
        if (failures.Blocked(LimitedFailure.TapByCard, card.Id) is { } wait)
            return (null, new Refusal(GatewayError.RateLimited, "Too many failed taps on this card; try again shortly.") { RetryAfter = wait });
        var (min, max, limitRefusal) = await RangeAsync(card, ct).ConfigureAwait(false);
        if (limitRefusal is not null)
            return (null, limitRefusal);

        var offer = await store.OfferAsync(card.Id, match.Counter, options.Gateway.K1Ttl, ct).ConfigureAwait(false);
        return offer switch
        {
            OfferResult.Offered o => (new WithdrawRequest
            {
                Callback = baseUrl + "/ln/callback",
                K1 = o.Session.K1,
                DefaultDescription = options.Gateway.DefaultDescription,
                MinWithdrawable = min,
                MaxWithdrawable = max,
                BalanceCheck = options.Lnurl.BalanceCheck ? balanceCheck.UrlFor(baseUrl, card) : null,
                PinLimit = PinLimitWorthSending(card.HasPin ? card.PinLimit ?? Msat.Zero : null, max),
            }, null),
            OfferResult.Replay => (null, new Refusal(GatewayError.Replay) { CardId = card.Id }),
            _ => (null, GatewayError.CardNotFound),
        };
    }

    /// <summary>
    /// What the card can pay now: min(balance less its fee reserve, per-tap limit, what remains of the
    /// daily limit), in whole sats; or why it can pay nothing.
    /// </summary>
    public async Task<(Msat Min, Msat Max, Refusal? Refusal)> RangeAsync(Storage.Cards.Card card, CancellationToken ct)
    {
        if (!card.Enabled)
            return (default, default, GatewayError.CardDisabled);
        if (card.Locked)
            return (default, default, GatewayError.CardLocked);

        var min = Msat.FromSat(options.Limits.MinWithdrawableSat);
        var max = fees.LargestAffordable(card.Balance);
        if (max < min)
            return (min, max, GatewayError.InsufficientFunds);
        if (card.PerTapLimit is { } perTap)
            max = Msat.Min(max, perTap);
        if (card.DailyLimit is { } daily)
        {
            var remaining = daily - await store.GetDailyUsageAsync(card.Id, time.GetUtcNow(), ct).ConfigureAwait(false);
            if (remaining < min)
                return (min, max, GatewayError.LimitDay);
            max = Msat.Min(max, remaining);
        }
        if (max < min)
            return (min, max, GatewayError.LimitTx);
        return (min, Msat.FromSat(max.WholeSat), null);
    }

    /// <summary>
    /// <c>pinLimit</c> only for a card with a PIN, and only when some amount on offer needs it (at or
    /// below <c>maxWithdrawable</c>). PIN-aware POS apps read it; strict LUD-03 models (the LNbits
    /// <c>lnurl</c> library forbids unknown fields) refuse the whole answer when it is there, so cards
    /// without a PIN must stay readable by them (docs/api.md).
    /// </summary>
    internal static Msat? PinLimitWorthSending(Msat? pinLimit, Msat maxWithdrawable) =>
        pinLimit is { } limit && limit <= maxWithdrawable ? limit : null;
}
