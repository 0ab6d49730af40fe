using System.Diagnostics;
using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Lightning.Simulated;
using BoltGate.Storage.Ledger;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Payments.Tests;

public abstract partial class EngineContract
{
    [Fact(Timeout = 60_000)]
    public async Task Graded_retry_follows_its_schedule_and_refunds_once_after_the_last_attempt()
    {
        var card = await NewCardAsync();
        Assert.True(await Store.SetCardPaymentPolicyAsync(card.Id, PaymentPolicy.GradedRetry));
        var w = await ReserveAsync("noroute", card);
        var before = Msat.FromSat(BalanceSat);

        // Attempt 1 fails: back to Reserved, the next attempt one minute (fast interval) later.
        var first = await PumpAsync(Engine.StartAsync(w.Id));
        Assert.Equal(WithdrawalState.Reserved, first.State);
        Assert.Equal(1, first.Attempts);
        Assert.Equal(Expressed(FailureKind.NoRoute).Code(), first.FailureCode);
        var plan = (await Store.GetPaymentPlanAsync(w.Id))!;
        Assert.Equal(PaymentPolicy.GradedRetry, plan.Policy);
        Assert.InRange(plan.NextAttemptAt!.Value - Time.GetUtcNow(), TimeSpan.FromSeconds(59), TimeSpan.FromMinutes(1));
        await AssertStillReservedAsync(w, before);
        Assert.Empty((await Reconciler.RunOnceAsync()).Claimed); // not due yet

        // Attempt 2 when due; then the slow interval (5 minutes).
        Time.Advance(TimeSpan.FromMinutes(1));
        var second = await PumpAsync(SingleDrive(await Reconciler.RunOnceAsync(), w));
        Assert.Equal(WithdrawalState.Reserved, second.State);
        Assert.Equal(2, second.Attempts);
        plan = (await Store.GetPaymentPlanAsync(w.Id))!;
        Assert.InRange(plan.NextAttemptAt!.Value - Time.GetUtcNow(), TimeSpan.FromMinutes(4.9), TimeSpan.FromMinutes(5));
        Time.Advance(TimeSpan.FromMinutes(4));
        Assert.Empty((await Reconciler.RunOnceAsync()).Claimed);

        // Attempt 3 is the last (MaxAttempts = 3): refunded once.
        Time.Advance(TimeSpan.FromMinutes(1));
        var last = await PumpAsync(SingleDrive(await Reconciler.RunOnceAsync(), w));
        Assert.Equal(WithdrawalState.Failed, last.State);
        Assert.Equal(3, last.Attempts);
        Assert.Equal(3, Node.PayCalls(HashOf(w)));
        await AssertRefundedOnceAsync(w, before, Expressed(FailureKind.NoRoute));
    }

    [Fact(Timeout = 60_000)]
    public async Task Graded_retry_never_schedules_an_attempt_past_the_invoice_expiry()
    {
        var card = await NewCardAsync();
        await Store.SetCardPaymentPolicyAsync(card.Id, PaymentPolicy.GradedRetry);
        // 90 s of invoice life: a retry a minute later would leave less than safety margin + minimum window.
        var w = await ReserveAsync("noroute", card, invoiceExpiry: TimeSpan.FromSeconds(90));

        var done = await PumpAsync(Engine.StartAsync(w.Id));

        Assert.Equal(WithdrawalState.Failed, done.State);
        Assert.Equal(1, done.Attempts);
        await AssertRefundedOnceAsync(w, Msat.FromSat(BalanceSat));
    }

    [Fact(Timeout = 60_000)]
    public async Task Graded_retry_refunds_at_once_when_no_retry_can_fix_the_failure()
    {
        var card = await NewCardAsync();
        await Store.SetCardPaymentPolicyAsync(card.Id, PaymentPolicy.GradedRetry);
        var w = await ReserveAsync("rejects", card);

        var done = await PumpAsync(Engine.StartAsync(w.Id));

        Assert.Equal(1, done.Attempts);
        await AssertRefundedOnceAsync(w, Msat.FromSat(BalanceSat), FailureKind.IncorrectPaymentDetails);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_withdrawal_flagged_as_operator_payout_retries_on_a_fast_fail_card()
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync("noroute", card);
        Assert.True(await Store.SetWithdrawalPaymentPolicyAsync(w.Id, PaymentPolicy.GradedRetry));

        var first = await PumpAsync(Engine.StartAsync(w.Id));

        Assert.Equal(WithdrawalState.Reserved, first.State);
        await AssertStillReservedAsync(w, Msat.FromSat(BalanceSat));
    }

    [Fact(Timeout = 60_000)]
    public async Task Cancel_refunds_a_withdrawal_waiting_for_its_retry_and_no_attempt_follows()
    {
        var card = await NewCardAsync();
        await Store.SetCardPaymentPolicyAsync(card.Id, PaymentPolicy.GradedRetry);
        var w = await ReserveAsync("noroute", card);
        await PumpAsync(Engine.StartAsync(w.Id));

        var canceled = await Engine.CancelAsync(w.Id, "operator canceled the payout");

        Assert.IsType<TransitionResult.Applied>(canceled);
        await AssertRefundedOnceAsync(w, Msat.FromSat(BalanceSat), FailureKind.Canceled);
        Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty((await Reconciler.RunOnceAsync()).Claimed);
        Assert.IsType<TransitionResult.WrongState>(await Engine.CancelAsync(w.Id, "twice"));
        Assert.Equal(1, Node.PayCalls(HashOf(w)));
        Assert.Equal(1, await EntriesAsync(w, LedgerKind.Refund));
    }

    [Fact(Timeout = 60_000)]
    public async Task Cancel_never_touches_a_payment_in_flight()
    {
        var card = await NewCardAsync();
        var w = await ReserveAsync("held-settle", card);
        var drive = Engine.StartAsync(w.Id);
        await PumpUntilStateAsync(w, WithdrawalState.InFlight, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(1));

        var canceled = await Engine.CancelAsync(w.Id, "operator tries to cancel");

        Assert.Equal(WithdrawalState.InFlight, Assert.IsType<TransitionResult.WrongState>(canceled).Current);
        await AssertStillReservedAsync(w, Msat.FromSat(BalanceSat));
        Assert.Equal(WithdrawalState.Succeeded, (await PumpAsync(drive, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5))).State);
        Assert.Equal(0, await EntriesAsync(w, LedgerKind.Refund));
    }

    [Fact(Timeout = 60_000)]
    public async Task Route_memory_refuses_a_payee_without_a_route_in_milliseconds_and_forgets_it_once_a_route_appears()
    {
        var payee = Network.AddPayee("island", new PayeeBehavior.NoRoute());
        Assert.IsType<Preflight.Proceed>(await Engine.PreflightAsync(payee, Msat.FromSat(1_000)));
        Assert.Equal(0, Node.Probes); // no history: no probe, no delay

        var w = await ReserveAsync("island");
        await PumpAsync(Engine.StartAsync(w.Id));
        Assert.Equal(WithdrawalState.Failed, (await GetAsync(w)).State);

        var watch = Stopwatch.StartNew();
        var refused = await Engine.PreflightAsync(payee, Msat.FromSat(1_000));
        watch.Stop();
        Assert.IsType<Preflight.NoRoute>(refused);
        Assert.Equal(1, Node.Probes);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"preflight took {watch.Elapsed.TotalMilliseconds:0} ms");

        Network.AddPayee("island", new PayeeBehavior.Succeed(TimeSpan.FromMilliseconds(100), new Msat(500)));
        Assert.IsType<Preflight.Proceed>(await Engine.PreflightAsync(payee, Msat.FromSat(1_000)));
        Assert.False(Routes.ShouldProbe(payee));
    }

    private static Task<Withdrawal> SingleDrive(ReconcilePass pass, Withdrawal w)
    {
        var i = pass.Claimed.ToList().FindIndex(c => c.Id == w.Id);
        Assert.True(i >= 0, "the reconciler did not claim the withdrawal");
        return pass.Drives[i];
    }
}
