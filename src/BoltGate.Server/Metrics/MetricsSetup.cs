using BoltGate.Payments;
using OpenTelemetry.Metrics;

namespace BoltGate.Server.Metrics;

/// <summary>
/// OpenTelemetry metrics with its Prometheus exporter at <c>/metrics</c>: the gateway's meter
/// (<see cref="GatewayMetrics"/>, <see cref="PaymentMetricsExport"/>, <see cref="GatewayGauges"/>) and
/// ASP.NET Core's own request and Kestrel meters (<c>http_server_request_duration_seconds</c>, ...).
/// </summary>
public static class MetricsSetup
{
    public static IServiceCollection AddGatewayMetrics(this IServiceCollection services)
    {
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton(sp => new PaymentMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<PaymentMetricsExport>();
        services.AddSingleton<GatewayGauges>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(GatewayMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel",
                "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Diagnostics")
            .AddPrometheusExporter());
        // Only this host's meters: a meter is created by the host's IMeterFactory (ours and ASP.NET Core's),
        // so another host in the same process (tests) never adds to this one's series.
        services.ConfigureOpenTelemetryMeterProvider((sp, builder) =>
        {
            var factory = sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
            builder.AddView(instrument => ReferenceEquals(instrument.Meter.Scope, factory) ? null : MetricStreamConfiguration.Drop);
        });
        return services;
    }

    /// <summary>Creates the exporting instruments (so they exist before the first scrape) and maps <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapGatewayMetrics(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.ServiceProvider.GetRequiredService<PaymentMetricsExport>();
        app.ServiceProvider.GetRequiredService<GatewayGauges>();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
