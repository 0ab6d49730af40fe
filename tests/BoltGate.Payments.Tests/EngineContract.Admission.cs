using BoltGate.Core.Crypto;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Lightning.Simulated;
using BoltGate.Storage.Cards;
using BoltGate.Storage.Sessions;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Payments.Tests;

/// <summary>Admission: one call says whether a withdrawal may start, as a typed answer; only "admitted" reserves anything.</summary>
public abstract partial class EngineContract
{
    private static readonly AdmissionOptions Admission = new() { FeeLimitBase = Msat.FromSat(10), FeeLimitPpm = 5_000 };

    [Fact(Timeout = 60_000)]
    public async Task Admission_reserves_only_what_it_admits_and_names_each_refusal()
    {
        var admission = NewAdmission();
        var card = await NewCardAsync();
        var k1 = await OfferAsync(card, 1_001);
        var bolt11 = Invoice("alice", 1_000);

        Assert.Equal(ReserveRejection.K1Unknown,
            Assert.IsType<AdmissionAnswer.Rejected>(await admission.AdmitAsync(new string('0', 32), bolt11, null, default)).Reason);
        Assert.IsType<AdmissionAnswer.InvoiceInvalid>(await admission.AdmitAsync(k1, "lnbc-not-an-invoice", null, default));

        Msat? askedFor = null;
        var refused = await admission.AdmitAsync(k1, bolt11, (_, amount, _) => { askedFor = amount; return Task.FromResult(false); }, default);
        Assert.IsType<AdmissionAnswer.NotAuthorized>(refused);
        Assert.Equal(Msat.FromSat(1_000), askedFor);
        Assert.Equal(Msat.FromSat(BalanceSat), await BalanceAsync(card.Id)); // nothing reserved, the k1 still unused

        var admitted = Assert.IsType<AdmissionAnswer.Admitted>(await admission.AdmitAsync(k1, bolt11, null, default)).Withdrawal;
        // A callback pays at once: the reservation committed the intent to pay with the engine's lease.
        Assert.Equal(WithdrawalState.Sending, admitted.State);
        Assert.Equal(1, admitted.Attempts);
        Assert.Equal(Engine.Owner, admitted.LeaseOwner);
        Assert.Equal(admitted, await Store.GetWithdrawalAsync(admitted.Id));
        Assert.Equal(0, Node.PayCalls(Bytes32.ParseHex(admitted.PaymentHashHex)));
        Assert.Equal(Msat.FromSat(1_000), admitted.Amount);
        Assert.Equal(Msat.FromSat(10) + Msat.FromSat(1_000).Ppm(5_000), admitted.FeeReserve);
        Assert.Equal(Msat.FromSat(BalanceSat) - admitted.Reserved, await BalanceAsync(card.Id));

        Assert.Equal(ReserveRejection.K1Used,
            Assert.IsType<AdmissionAnswer.Rejected>(await admission.AdmitAsync(k1, Invoice("alice", 1_000), null, default)).Reason);
    }

    [Fact(Timeout = 60_000)]
    public async Task Admission_refuses_a_payee_that_just_had_no_route_with_the_failure_kind_and_the_nodes_words()
    {
        var admission = NewAdmission();
        Network.AddPayee("island", new PayeeBehavior.NoRoute());
        var failed = await ReserveAsync("island");
        await PumpAsync(Engine.StartAsync(failed.Id));
        Assert.Equal(WithdrawalState.Failed, (await GetAsync(failed)).State);

        var card = await NewCardAsync();
        var k1 = await OfferAsync(card, 2_001);
        var refused = Assert.IsType<AdmissionAnswer.PaymentFailed>(await admission.AdmitAsync(k1, Invoice("island", 1_000), null, default));
        Assert.Equal(FailureKind.NoRoute, refused.Kind);
        Assert.False(string.IsNullOrWhiteSpace(refused.NodeMessage));
        Assert.Equal(Msat.FromSat(BalanceSat), await BalanceAsync(card.Id));
        Assert.IsType<AdmissionAnswer.Admitted>(await admission.AdmitAsync(k1, Invoice("alice", 1_000), null, default)); // k1 unused
    }

    [Fact(Timeout = 60_000)]
    public async Task An_admitted_withdrawal_is_paid_once_from_the_committed_sending_row()
    {
        var admission = NewAdmission();
        var card = await NewCardAsync();
        var k1 = await OfferAsync(card, 3_001);
        var admitted = Assert.IsType<AdmissionAnswer.Admitted>(await admission.AdmitAsync(k1, Invoice("alice", 1_000), null, default));
        var hash = Bytes32.ParseHex(admitted.Withdrawal.PaymentHashHex);
        WithdrawalState? stateWhenNodeAsked = null;
        Node.PayScript = request =>
        {
            // What a crash at this moment would leave for the reconciler: the intent, committed.
            stateWhenNodeAsked = Store.GetWithdrawalAsync(admitted.Withdrawal.Id).GetAwaiter().GetResult()?.State;
            return null;
        };

        var answer = await PumpAsync(Engine.PayAsync(admitted));

        Assert.IsType<PaymentAnswer.Succeeded>(answer);
        Assert.Equal(WithdrawalState.Sending, stateWhenNodeAsked);
        Assert.Equal(1, Node.PayCalls(hash));
        var paid = (await Store.GetWithdrawalAsync(admitted.Withdrawal.Id))!;
        Assert.Equal(WithdrawalState.Succeeded, paid.State);
        Assert.Equal(1, paid.Attempts);
        Assert.Null(paid.LeaseOwner);
        Assert.Equal(Msat.FromSat(BalanceSat) - paid.Amount - paid.Fee!.Value, await BalanceAsync(card.Id));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_admitted_withdrawal_that_fails_definitively_is_refunded_by_the_cards_strategy()
    {
        var admission = NewAdmission();
        var card = await NewCardAsync();
        var k1 = await OfferAsync(card, 4_001);
        var admitted = Assert.IsType<AdmissionAnswer.Admitted>(await admission.AdmitAsync(k1, Invoice("broke", 1_000), null, default));

        var answer = Assert.IsType<PaymentAnswer.Failed>(await PumpAsync(Engine.PayAsync(admitted)));

        Assert.Equal(FailureKind.InsufficientLiquidity, answer.Kind);
        Assert.Equal(WithdrawalState.Failed, (await Store.GetWithdrawalAsync(admitted.Withdrawal.Id))!.State);
        Assert.Equal(Msat.FromSat(BalanceSat), await BalanceAsync(card.Id));
    }

    private WithdrawalAdmission NewAdmission() =>
        new(Store, new NodeNetwork(Node), Engine, new FeeReserve(Admission), Admission, Time);

    private async Task<string> OfferAsync(Card card, long counter) =>
        Assert.IsType<OfferResult.Offered>(await Store.OfferAsync(card.Id, counter, TimeSpan.FromMinutes(5))).Session.K1;

    private string Invoice(string payee, long sat)
    {
        var fraction = Time.GetUtcNow().Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
            Time.Advance(TimeSpan.FromTicks(TimeSpan.TicksPerSecond - fraction)); // BOLT 11 timestamps are whole seconds
        return Network.CreatePayeeInvoice(payee, Msat.FromSat(sat), expiry: TimeSpan.FromHours(1));
    }
}
