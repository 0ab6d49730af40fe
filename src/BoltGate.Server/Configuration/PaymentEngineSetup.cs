using BoltGate.Core.Money;
using BoltGate.Core.Payments;
using BoltGate.Payments;
using BoltGate.Storage.Withdrawals;

namespace BoltGate.Server.Configuration;

/// <summary>The payment engine's and admission's options and the instance name from the gateway's configuration (<c>Payments:*</c>, <c>Limits:*</c>).</summary>
public static class PaymentEngineSetup
{
    public static readonly TimeSpan DefaultCallbackWait = TimeSpan.FromSeconds(20);

    public static PaymentEngineOptions Options(GatewayOptions o)
    {
        var deadlines = GatewayOptionsValidator.Deadlines(o);
        TryParseFeePayer(o.Payments.FeePaidBy, out var payer);
        return new PaymentEngineOptions
        {
            Deadlines = deadlines,
            GradedRetry = new GradedRetryStrategy
            {
                FastInterval = o.Payments.Retry.FastInterval,
                FastAttempts = o.Payments.Retry.FastAttempts,
                SlowInterval = o.Payments.Retry.SlowInterval,
                MaxAttempts = o.Payments.Retry.MaxAttempts,
                Deadlines = deadlines,
            },
            FeePayer = payer,
            CallbackBudget = o.Payments.CallbackWait ?? DefaultCallbackWait,
            ReconcileInterval = o.Payments.ReconcileInterval,
            LeaseFor = o.Payments.LeaseFor,
            LeaseRenewEvery = o.Payments.LeaseRenewEvery,
            TrackFirstPoll = o.Payments.TrackFirstPoll,
            TrackMaxPoll = o.Payments.TrackMaxPoll,
            FreshFor = o.Payments.FreshFor,
        };
    }

    public static AdmissionOptions Admission(GatewayOptions o) => new()
    {
        MinWithdrawable = Msat.FromSat(o.Limits.MinWithdrawableSat),
        FeeLimitBase = Msat.FromSat(o.Payments.FeeLimitBaseSat),
        FeeLimitPpm = o.Payments.FeeLimitPpm,
    };

    public static string InstanceId(GatewayOptions o) =>
        o.Payments.InstanceId is { Length: > 0 } configured ? configured : $"{Environment.MachineName}:{Path.GetFullPath(o.DataDir)}";

    public static bool TryParseFeePayer(string? text, out FeePayer payer)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "card":
                payer = FeePayer.Card;
                return true;
            case "operator":
                payer = FeePayer.Operator;
                return true;
            default:
                payer = FeePayer.Card;
                return false;
        }
    }
}
