using Azure.Monitor.OpenTelemetry.Exporter;
using GrantFlow.Workflows;
using GrantFlow.Workflows.Storage;
using GrantFlow.Workflows.Telemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<GrantFlow.Functions.Http.UnhandledErrorProblemMiddleware>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddGrantFlowWorkflows(builder.Configuration, StorageEndpoints.FromConfiguration(builder.Configuration, "AzureWebJobsStorage"));

// OpenTelemetry: the worker's invocations, GrantFlow's spans (each step of a run, each notice) and metrics, and the
// Durable Task worker's spans, exported to Application Insights when the app has its connection string (Bicep sets
// APPLICATIONINSIGHTS_CONNECTION_STRING); the alert rules in infra/ read these metrics.
var telemetry = builder.Services.AddOpenTelemetry()
    .WithTracing(tracing => tracing.AddSource(GrantFlowTelemetry.Name, "Microsoft.DurableTask"))
    .WithMetrics(metrics => metrics.AddMeter(GrantFlowTelemetry.Name))
    .UseFunctionsWorkerDefaults();
if (!string.IsNullOrWhiteSpace(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
{
    telemetry.UseAzureMonitorExporter();
}

builder.Build().Run();
