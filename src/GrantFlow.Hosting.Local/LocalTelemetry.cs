using GrantFlow.Workflows.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace GrantFlow.Hosting.Local;

/// <summary>
/// OpenTelemetry for the local host: GrantFlow's spans and metrics (<see cref="GrantFlowTelemetry"/>), the Durable
/// Task worker's orchestration and activity spans and the API's request spans, exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (a collector, Aspire's dashboard, Jaeger) and to the console when
/// <c>GrantFlow:Telemetry:Console</c> is true. With neither, nothing is exported (and nothing is recorded).
/// </summary>
public static class LocalTelemetry
{
    public const string ConsoleSetting = "GrantFlow:Telemetry:Console";

    public static IServiceCollection AddGrantFlowLocalTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var console = configuration.GetValue<bool>(ConsoleSetting);
        if (!otlp && !console)
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("grantflow-local"))
            .WithTracing(tracing =>
            {
                tracing.AddSource(GrantFlowTelemetry.Name, "Microsoft.DurableTask").AddAspNetCoreInstrumentation();
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }

                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(GrantFlowTelemetry.Name).AddAspNetCoreInstrumentation();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }

                if (console)
                {
                    metrics.AddConsoleExporter();
                }
            });
        return services;
    }
}
