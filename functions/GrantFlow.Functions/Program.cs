using GrantFlow.Workflows;
using GrantFlow.Workflows.Storage;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<GrantFlow.Functions.Http.UnhandledErrorProblemMiddleware>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddGrantFlowWorkflows(builder.Configuration, StorageEndpoints.FromConfiguration(builder.Configuration, "AzureWebJobsStorage"));
builder.Build().Run();
