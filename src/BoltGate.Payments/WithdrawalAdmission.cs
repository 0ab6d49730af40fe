using BoltGate.Core.Bolt11;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Storage;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Payments;

/// <summary>
/// The one place that decides whether a withdrawal may start. In order: the k1 session and the card;
/// the invoice (readable, our node's network, an amount above the minimum, time enough before it
/// expires); the card's per-tap limit; the caller's own check (the PIN); the route pre-flight (a payee
/// that just failed with NO_ROUTE and still has no route is refused with nothing reserved); then the one
/// reserving transaction, which checks the session, limits and balance again under its lock and writes
/// the withdrawal already Sending (the intent to pay), so the engine calls the node next.
/// </summary>
public sealed class WithdrawalAdmission(
    BoltGateStore store,
    NodeNetwork nodeNetwork,
    PaymentEngine engine,
    FeeReserve fees,
    AdmissionOptions options,
    TimeProvider time)
{
    /// <summary>
    /// A check the caller adds once the card and the amount are known (the server's PIN check): true lets the
    /// withdrawal go on; false refuses it with <see cref="AdmissionAnswer.NotAuthorized"/>.
    /// </summary>
    public delegate Task<bool> Authorize(Card card, Msat amount, CancellationToken ct);

    /// <summary>
    /// Admits the withdrawal for session <paramref name="k1"/> (32 lower-case hex) paying <paramref name="bolt11"/>,
    /// or says why not. Admitted means reserved: the caller hands the withdrawal to <see cref="PaymentEngine.PayAsync(AdmissionAnswer.Admitted, TimeSpan?, CancellationToken)"/>.
    /// </summary>
    public async Task<AdmissionAnswer> AdmitAsync(string k1, string bolt11, Authorize? authorize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(k1);
        ArgumentNullException.ThrowIfNull(bolt11);
        var now = time.GetUtcNow();
        var session = await store.GetSessionAsync(k1, ct).ConfigureAwait(false);
        if (session is null)
            return new AdmissionAnswer.Rejected(ReserveRejection.K1Unknown);
        if (session.IsConsumed)
            return new AdmissionAnswer.Rejected(ReserveRejection.K1Used);
        if (session.IsExpired(now))
            return new AdmissionAnswer.Rejected(ReserveRejection.K1Expired);
        var card = await store.GetCardAsync(session.CardId, ct).ConfigureAwait(false);
        if (card is null)
            return new AdmissionAnswer.Rejected(ReserveRejection.CardNotFound);
        if (!card.Enabled)
            return new AdmissionAnswer.Rejected(ReserveRejection.CardDisabled);
        if (card.Locked)
            return new AdmissionAnswer.Rejected(ReserveRejection.CardLocked);

        if (Bolt11Decoder.Decode(bolt11) is not Bolt11DecodeResult.Ok { Invoice: var invoice })
            return new AdmissionAnswer.InvoiceInvalid();
        var network = await nodeNetwork.GetAsync(ct).ConfigureAwait(false);
        if (network is null)
            return new AdmissionAnswer.NodeUnavailable();
        if (invoice.Network != network)
            return new AdmissionAnswer.WrongNetwork(invoice.Network, network.Value);
        if (invoice.Amount is not { IsPositive: true } amount)
            return new AdmissionAnswer.NoAmount();
        if (invoice.IsExpiredAt(now))
            return new AdmissionAnswer.InvoiceExpired();
        var deadlines = engine.Options.Deadlines;
        if (deadlines.DeadlineFor(invoice.ExpiresAt, now) is not { } deadline)
            return new AdmissionAnswer.ExpiresTooSoon(deadlines.SafetyMargin + deadlines.MinimumWindow);
        if (amount < options.MinWithdrawable)
            return new AdmissionAnswer.BelowMinimum(options.MinWithdrawable);
        if (card.PerTapLimit is { } perTap && amount > perTap)
            return new AdmissionAnswer.Rejected(ReserveRejection.LimitPerTap);

        if (authorize is not null && !await authorize(card, amount, ct).ConfigureAwait(false))
            return new AdmissionAnswer.NotAuthorized();

        if (await engine.PreflightAsync(invoice.PayeeHex, amount, ct).ConfigureAwait(false) is Preflight.NoRoute noRoute)
            return new AdmissionAnswer.PaymentFailed(FailureKind.NoRoute, noRoute.NodeMessage);

        // The callback pays at once: the reservation commits with the withdrawal already Sending under the
        // engine's lease (the intent to pay), one transaction instead of reserve, lease and mark-sending.
        var reserve = await store.ReserveSendingAsync(
            new ReserveRequest(k1, invoice.Raw, invoice.PaymentHash, amount, fees.For(amount), deadline),
            engine.FirstAttemptLease(), ct).ConfigureAwait(false);
        return reserve switch
        {
            ReserveResult.Reserved reserved => new AdmissionAnswer.Admitted(reserved.Withdrawal, invoice, reserved.Policy),
            ReserveResult.Rejected rejected => new AdmissionAnswer.Rejected(rejected.Reason),
            var other => throw new InvalidOperationException("Unexpected reserve result " + other.GetType().Name),
        };
    }
}
