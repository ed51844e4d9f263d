using GrantFlow.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<GrantFlow.Functions.Http.UnhandledErrorProblemMiddleware>();
builder.Services.AddGrantFlowFunctions(builder.Configuration);
builder.Build().Run();
