using Azure.Monitor.OpenTelemetry.Exporter;
using GrantFlow.Workflows;
using GrantFlow.Workflows.Storage;
using GrantFlow.Workflows.Telemetry;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Functions;

/// <summary>The Functions app's services, as Program.cs registers them (and the tests build them).</summary>
public static class FunctionsComposition
{
    public static IServiceCollection AddGrantFlowFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddGrantFlowWorkflows(configuration, StorageEndpoints.FromConfiguration(configuration, "AzureWebJobsStorage"));

        // OpenTelemetry: the worker's invocations, GrantFlow's spans (each step of a run, each notice) and metrics, and
        // the Durable Task worker's spans, exported to Application Insights when the app has its connection string
        // (the Bicep sets APPLICATIONINSIGHTS_CONNECTION_STRING); the alert rules in infra/ read these metrics.
        var telemetry = services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(GrantFlowTelemetry.Name, "Microsoft.DurableTask"))
            .WithMetrics(metrics => metrics.AddMeter(GrantFlowTelemetry.Name))
            .UseFunctionsWorkerDefaults();
        if (!string.IsNullOrWhiteSpace(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            telemetry.UseAzureMonitorExporter();
        }

        return services;
    }

    /// <summary>
    /// The worker middleware around every function, in order (Program.cs adds it to the worker; the local host's
    /// Functions mode composes the same calls around the triggers it invokes).
    /// </summary>
    public static IFunctionsWorkerApplicationBuilder UseGrantFlowMiddleware(this IFunctionsWorkerApplicationBuilder builder)
    {
        builder.UseMiddleware<Http.UnhandledErrorProblemMiddleware>();
        return builder;
    }
}
