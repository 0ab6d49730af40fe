using BoltGate.Core.Bolt11;
using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Payments;
using BoltGate.Server.Configuration;
using BoltGate.Server.Errors;
using BoltGate.Server.Payments;
using BoltGate.Server.Pins;
using BoltGate.Storage;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Server.Lnurl;

/// <summary>
/// <c>GET /ln/callback?k1=&amp;pr=[&amp;pin=]</c>: every check that needs no lock first (k1, invoice,
/// amount, PIN), the route pre-check (a payee that just failed with NO_ROUTE and still has no route is
/// refused with nothing reserved), then the one reserving transaction, then the payment engine. Within
/// the callback budget it answers OK on success, ERROR with the failure code and "your card was not
/// charged" on a definitive failure (the refund already committed), or OK with a "pending" reason while
/// the outcome is unknown (the LNURL form BTCPay uses); the payment goes on either way.
/// </summary>
public sealed class CallbackService(
    BoltGateStore store,
    NodeNetwork nodeNetwork,
    PaymentEngine engine,
    GatewayOptions options,
    FeeReserve fees,
    TimeProvider time)
{
    private readonly DeadlinePolicy _deadlines = GatewayOptionsValidator.Deadlines(options);

    public async Task<CallbackAnswer> HandleAsync(string? k1, string? pr, string? pin, CancellationToken ct)
    {
        if (k1 is null || Hex.TryDecode(k1, 16) is null)
            return new Refusal(GatewayError.BadRequest, "k1 must be 32 hex characters.");
        k1 = k1.ToLowerInvariant();
        if (string.IsNullOrWhiteSpace(pr))
            return new Refusal(GatewayError.BadRequest, "pr (a BOLT11 invoice) is required.");
        if (pin is not null && !PinHasher.IsWellFormed(pin))
            return new Refusal(GatewayError.BadRequest, "pin must be 4 to 8 digits.");

        var now = time.GetUtcNow();
        var session = await store.GetSessionAsync(k1, ct).ConfigureAwait(false);
        if (session is null)
            return GatewayError.K1Unknown;
        if (session.IsConsumed)
            return GatewayError.K1Used;
        if (session.IsExpired(now))
            return GatewayError.K1Expired;
        var card = await store.GetCardAsync(session.CardId, ct).ConfigureAwait(false);
        if (card is null)
            return GatewayError.CardNotFound;
        if (!card.Enabled)
            return GatewayError.CardDisabled;
        if (card.Locked)
            return GatewayError.CardLocked;

        if (Bolt11Decoder.Decode(pr.Trim()) is not Bolt11DecodeResult.Ok { Invoice: var invoice })
            return GatewayError.InvoiceInvalid;
        var network = await nodeNetwork.GetAsync(ct).ConfigureAwait(false);
        if (network is null)
            return GatewayError.NodeUnavailable;
        if (invoice.Network != network)
            return new Refusal(GatewayError.InvoiceWrongNetwork, $"The invoice is for {invoice.Network}; this gateway pays on {network}.");
        if (invoice.Amount is not { IsPositive: true } amount)
            return new Refusal(GatewayError.AmountOutOfRange, "The invoice must name an amount above zero.");
        if (invoice.IsExpiredAt(now))
            return GatewayError.InvoiceExpired;
        if (_deadlines.DeadlineFor(invoice.ExpiresAt, now) is not { } deadline)
            return new Refusal(GatewayError.InvoiceExpired,
                $"The invoice expires too soon: at least {(_deadlines.SafetyMargin + _deadlines.MinimumWindow).TotalSeconds:0} s must remain.");
        if (amount < Msat.FromSat(options.Limits.MinWithdrawableSat))
            return GatewayError.AmountOutOfRange;
        if (card.PerTapLimit is { } perTap && amount > perTap)
            return GatewayError.LimitTx;

        if (card.HasPin && amount >= (card.PinLimit ?? Msat.Zero))
        {
            if (pin is null)
                return GatewayError.PinRequired;
            if (!PinHasher.Verify(pin, card.PinHash!))
            {
                var attempt = await store.RecordPinFailureAsync(card.Id, options.Limits.MaxPinTries, ct).ConfigureAwait(false);
                if (attempt is null || attempt.Locked)
                    return GatewayError.CardLocked;
                var left = options.Limits.MaxPinTries - attempt.Failures;
                return new Refusal(GatewayError.PinWrong, $"Wrong PIN; {left} {(left == 1 ? "try" : "tries")} left before the card locks.");
            }
            if (card.PinFailures > 0)
                await store.ResetPinFailuresAsync(card.Id, ct).ConfigureAwait(false);
        }

        if (await engine.PreflightAsync(invoice.PayeeHex, amount, ct).ConfigureAwait(false) is Preflight.NoRoute noRoute)
            return new Refusal(GatewayError.PaymentFailed,
                $"The payment failed ({FailureKind.NoRoute.Code()}); {PaymentAnswer.NotCharged}. Node: {Truncate(noRoute.NodeMessage, 200)}",
                FailureKind.NoRoute);

        var reserve = await store.ReserveAsync(
            new ReserveRequest(k1, invoice.Raw, invoice.PaymentHash, amount, fees.For(amount), deadline), ct).ConfigureAwait(false);
        if (reserve is ReserveResult.Rejected rejected)
            return ErrorCatalog.From(rejected.Reason);
        var withdrawal = ((ReserveResult.Reserved)reserve).Withdrawal;

        // The payment does not die with this HTTP request: the engine drives it to its outcome.
        return await engine.PayAsync(withdrawal, budget: null, ct).ConfigureAwait(false) switch
        {
            PaymentAnswer.Succeeded => CallbackAnswer.Ok,
            PaymentAnswer.Failed failed => new Refusal(GatewayError.PaymentFailed,
                $"The payment failed ({failed.Code}); {PaymentAnswer.NotCharged}." +
                (string.IsNullOrEmpty(failed.Withdrawal.NodeMessage) ? "" : " Node: " + Truncate(failed.Withdrawal.NodeMessage, 200)),
                FailureKindCodes.FromCode(failed.Code)),
            PaymentAnswer.Pending pending => CallbackAnswer.Pending(pending.Reason),
            var other => throw new InvalidOperationException("Unexpected payment answer " + other.GetType().Name),
        };
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
