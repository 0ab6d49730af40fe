using BoltGate.Lightning;
using BoltGate.Payments;
using BoltGate.Server.Configuration;
using BoltGate.Server.Lnurl;
using BoltGate.Server.Metrics;
using BoltGate.Server.Payments;
using BoltGate.Server.Secrets;
using BoltGate.Server.Taps;
using BoltGate.Storage;
using Microsoft.Extensions.Options;

namespace BoltGate.Server.Hosting;

/// <summary>Registers the gateway: options (validated at start), secrets, storage, the node, the services.</summary>
public static class GatewayServices
{
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<GatewayOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayOptions>().Payments);
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton(sp => SecretFiles.LoadOrCreate(sp.GetRequiredService<GatewayOptions>(), Console.Out));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<GatewayOptions>();
            Providers.TryParse(options.Storage.Provider, out var provider);
            var connectionString = options.Storage.ConnectionString is { Length: > 0 } configured
                ? configured
                : $"Data Source={Path.Combine(Path.GetFullPath(options.DataDir), "boltgate.db")}";
            var storage = new StorageOptions
            {
                Provider = provider,
                ConnectionString = connectionString,
                DataKey = sp.GetRequiredService<GatewaySecrets>().DataKey,
                WriterConnections = options.Storage.WriterConnections,
            };
            // Opened once at start-up (Program resolves it before serving), migrations included.
            return BoltGateStore.OpenAsync(storage, sp.GetRequiredService<TimeProvider>()).GetAwaiter().GetResult();
        });
        services.AddSingleton(sp => LightningNodeFactory.Create(
            sp.GetRequiredService<GatewayOptions>().Lightning.ConnectionString, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));

        services.AddGatewayMetrics();
        services.AddSingleton<TapResolver>();
        services.AddSingleton<NodeNetwork>();
        services.AddSingleton(sp => PaymentEngineSetup.Admission(sp.GetRequiredService<GatewayOptions>()));
        services.AddSingleton<FeeReserve>();
        services.AddSingleton<PublicUrls>();
        services.AddSingleton(sp => PaymentEngineSetup.Options(sp.GetRequiredService<GatewayOptions>()));
        services.AddSingleton(sp => new RouteMemory(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new PaymentEngine(
            sp.GetRequiredService<BoltGateStore>(), sp.GetRequiredService<ILightningNode>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<PaymentEngineOptions>(), sp.GetRequiredService<RouteMemory>(), sp.GetRequiredService<PaymentMetrics>(),
            sp.GetRequiredService<ILogger<PaymentEngine>>(), PaymentEngineSetup.InstanceId(sp.GetRequiredService<GatewayOptions>())));
        services.AddSingleton(sp => new Reconciler(
            sp.GetRequiredService<PaymentEngine>(), sp.GetRequiredService<BoltGateStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<Reconciler>>()));
        services.AddHostedService<ReconcilerService>();
        services.AddSingleton<BalanceCheck>();
        services.AddSingleton<OfferService>();
        services.AddSingleton<WithdrawalAdmission>();
        services.AddSingleton<CallbackService>();
        return services;
    }
}
