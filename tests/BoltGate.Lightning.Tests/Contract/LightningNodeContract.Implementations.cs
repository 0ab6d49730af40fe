using BoltGate.Core.Payments;

namespace BoltGate.Lightning.Tests.Contract;

// The Lightning node contract on every backend: LightningNodeContract_<backend>.

[Trait(Category.Name, Category.Contract)]
public sealed class LightningNodeContract_Simulated : LightningNodeContract
{
    protected override Backend Backend => Backend.Simulated;
}

[Trait(Category.Name, Category.Contract)]
public sealed class LightningNodeContract_LndRest : LightningNodeContract
{
    protected override Backend Backend => Backend.LndRest;

    // lnd has no fee-limit failure reason: a route over the cap is simply no route.
    protected override FailureKind Expressed(FailureKind kind) => kind == FailureKind.FeeLimitExceeded ? FailureKind.NoRoute : kind;
}

/// <summary>Core Lightning v26.06: xpay (also behind pay).</summary>
[Trait(Category.Name, Category.Contract)]
public sealed class LightningNodeContract_CoreLightningXpay : LightningNodeContract
{
    protected override Backend Backend => Backend.CoreLightning;

    protected override string CoreLightningVersion => "v26.06-258-g090f4b0";
}

/// <summary>Core Lightning v24.08: classic pay, with its error code 0 for aborts.</summary>
[Trait(Category.Name, Category.Contract)]
public sealed class LightningNodeContract_CoreLightningClassicPay : LightningNodeContract
{
    protected override Backend Backend => Backend.CoreLightning;

    protected override string CoreLightningVersion => "v24.08.2";

    // Classic pay reports a payment that ran out of time as "ran out of routes" (210).
    protected override FailureKind Expressed(FailureKind kind) => kind == FailureKind.Timeout ? FailureKind.NoRoute : kind;
}
