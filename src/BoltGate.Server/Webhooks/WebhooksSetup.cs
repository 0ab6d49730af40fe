namespace BoltGate.Server.Webhooks;

public static class WebhooksSetup
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection("Webhooks"))
            .Validate(o => o.Timeout > TimeSpan.Zero && o.PollInterval > TimeSpan.Zero && o.RetryFor > TimeSpan.Zero,
                "Webhooks:Timeout, PollInterval and RetryFor must be positive.")
            .ValidateOnStart();
        services.AddSingleton<ReceiverClient>();
        services.AddSingleton<WebhookService>();
        services.AddSingleton<WebhookDeliveryWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDeliveryWorker>());
        return services;
    }
}
