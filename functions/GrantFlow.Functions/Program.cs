using GrantFlow.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseGrantFlowMiddleware();
builder.Services.AddGrantFlowFunctions(builder.Configuration);
builder.Build().Run();
