using BoltGate.Core.Payments;
using BoltGate.Lightning.CoreLightning;
using BoltGate.Lightning.Fakes.CoreLightning;
using BoltGate.Lightning.Fakes.Lnd;
using BoltGate.Lightning.Lnd;
using BoltGate.Lightning.Simulated;

namespace BoltGate.Lightning.Tests.Contract;

public sealed class SimulatedNodeContract : LightningNodeContract
{
    protected override Task StartBackendAsync() => Task.CompletedTask;

    protected override ILightningNode NewClient() => new SimulatedNode(Network);

    protected override Task StopBackendAsync() => Task.CompletedTask;
}

public sealed class LndRestContract : LightningNodeContract
{
    private LndRestFake _fake = null!;

    protected override async Task StartBackendAsync() => _fake = await LndRestFake.StartAsync(Network);

    protected override ILightningNode NewClient() =>
        new LndRestClient((LightningConnectionString.LndRest)LightningConnectionString.Parse(_fake.ConnectionString), Time);

    protected override async Task StopBackendAsync() => await _fake.DisposeAsync();

    // lnd has no fee-limit failure reason: a route over the cap is simply no route.
    protected override FailureKind Expressed(FailureKind kind) => kind == FailureKind.FeeLimitExceeded ? FailureKind.NoRoute : kind;
}

/// <summary>Core Lightning v26.06: xpay (also behind pay).</summary>
public sealed class CoreLightningXpayContract : LightningNodeContract
{
    private ClnRpcFake _fake = null!;

    protected override Task StartBackendAsync()
    {
        _fake = ClnRpcFake.Start(Network, "v26.06-258-g090f4b0");
        return Task.CompletedTask;
    }

    protected override ILightningNode NewClient() =>
        new CoreLightningClient((LightningConnectionString.CoreLightning)LightningConnectionString.Parse(_fake.ConnectionString), Time);

    protected override async Task StopBackendAsync() => await _fake.DisposeAsync();
}

/// <summary>Core Lightning v24.08: classic pay, with its error code 0 for aborts.</summary>
public sealed class CoreLightningClassicPayContract : LightningNodeContract
{
    private ClnRpcFake _fake = null!;

    protected override Task StartBackendAsync()
    {
        _fake = ClnRpcFake.Start(Network, "v24.08.2");
        return Task.CompletedTask;
    }

    protected override ILightningNode NewClient() =>
        new CoreLightningClient((LightningConnectionString.CoreLightning)LightningConnectionString.Parse(_fake.ConnectionString), Time);

    protected override async Task StopBackendAsync() => await _fake.DisposeAsync();

    // Classic pay reports a payment that ran out of time as "ran out of routes" (210).
    protected override FailureKind Expressed(FailureKind kind) => kind == FailureKind.Timeout ? FailureKind.NoRoute : kind;
}
