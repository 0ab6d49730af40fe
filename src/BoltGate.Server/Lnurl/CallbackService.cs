using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Payments;
using BoltGate.Server.Configuration;
using BoltGate.Server.Errors;
using BoltGate.Server.Pins;
using BoltGate.Storage;
using BoltGate.Storage.Cards;

namespace BoltGate.Server.Lnurl;

/// <summary>
/// <c>GET /ln/callback?k1=&amp;pr=[&amp;pin=]</c>: parses the request, asks <see cref="WithdrawalAdmission"/> whether
/// the withdrawal may start (it calls back here for the PIN), then hands the reserved withdrawal to the
/// payment engine. Within the callback budget it answers OK on success, ERROR with the failure code and
/// "your card was not charged" on a definitive failure (the refund already committed), or OK with a
/// "pending" reason while the outcome is unknown (the LNURL form BTCPay uses); the payment goes on either way.
/// </summary>
public sealed class CallbackService(
    BoltGateStore store,
    WithdrawalAdmission admission,
    PaymentEngine engine,
    GatewayOptions options)
{
    public async Task<CallbackAnswer> HandleAsync(string? k1, string? pr, string? pin, CancellationToken ct)
    {
        if (k1 is null || Hex.TryDecode(k1, 16) is null)
            return new Refusal(GatewayError.BadRequest, "k1 must be 32 hex characters.");
        k1 = k1.ToLowerInvariant();
        if (string.IsNullOrWhiteSpace(pr))
            return new Refusal(GatewayError.BadRequest, "pr (a BOLT11 invoice) is required.");
        if (pin is not null && !PinHasher.IsWellFormed(pin))
            return new Refusal(GatewayError.BadRequest, "pin must be 4 to 8 digits.");

        Refusal? pinRefusal = null;
        var admitted = await admission.AdmitAsync(k1, pr.Trim(),
            async (card, amount, token) => (pinRefusal = await CheckPinAsync(card, amount, pin, token).ConfigureAwait(false)) is null,
            ct).ConfigureAwait(false);
        AdmissionAnswer.Admitted withdrawal;
        switch (admitted)
        {
            case AdmissionAnswer.Admitted a:
                withdrawal = a;
                break;
            case AdmissionAnswer.NotAuthorized:
                return pinRefusal ?? throw new InvalidOperationException("Admission refused a PIN that was not checked.");
            case AdmissionAnswer.Refused refused:
                return ErrorCatalog.From(refused);
            default:
                throw new InvalidOperationException("Unexpected admission answer " + admitted.GetType().Name);
        }

        // The payment does not die with this HTTP request: the engine drives it to its outcome.
        return await engine.PayAsync(withdrawal, budget: null, ct).ConfigureAwait(false) switch
        {
            PaymentAnswer.Succeeded => CallbackAnswer.Ok,
            PaymentAnswer.Failed failed => ErrorCatalog.PaymentFailed(failed.Kind, failed.NodeMessage),
            PaymentAnswer.Pending pending => CallbackAnswer.Pending(pending.Reason),
            var other => throw new InvalidOperationException("Unexpected payment answer " + other.GetType().Name),
        };
    }

    /// <summary>The PIN, when the card has one and the amount reaches its PIN limit: null lets the withdrawal go on.</summary>
    private async Task<Refusal?> CheckPinAsync(Card card, Msat amount, string? pin, CancellationToken ct)
    {
        if (!card.HasPin || amount < (card.PinLimit ?? Msat.Zero))
            return null;
        if (pin is null)
            return GatewayError.PinRequired;
        // Count the try before judging it: once the tries are used up (also by concurrent guesses) none is judged.
        var max = options.Limits.MaxPinTries;
        if (await store.TryCountPinAttemptAsync(card.Id, max, ct).ConfigureAwait(false) is not { } counted)
            return GatewayError.CardLocked;
        if (!PinHasher.Verify(pin, card.PinHash!))
        {
            var attempt = await store.RecordWrongPinAsync(card.Id, max, ct).ConfigureAwait(false);
            if (attempt is null || attempt.Locked)
                return GatewayError.CardLocked;
            var left = max - counted.Failures;
            return new Refusal(GatewayError.PinWrong, $"Wrong PIN; {left} {(left == 1 ? "try" : "tries")} left before the card locks.");
        }
        await store.ResetPinFailuresAsync(card.Id, ct).ConfigureAwait(false);
        return null;
    }
}
