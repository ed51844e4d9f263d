using GrantFlow.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrantFlow.Hosting.Functions;

/// <summary>
/// The Functions app's own composition, as its Program.cs builds it (<see cref="FunctionsComposition.AddGrantFlowFunctions"/>
/// and <see cref="FunctionsComposition.UseGrantFlowMiddleware"/>), over the given storage: the services its function
/// classes are made from and the worker middleware its invocations pass through. Started, so options are validated
/// as the worker validates them.
/// </summary>
public sealed class FunctionsApp : IAsyncDisposable
{
    private readonly IHost _host;

    private FunctionsApp(IHost host, IReadOnlyList<Func<FunctionExecutionDelegate, FunctionExecutionDelegate>> middleware)
    {
        _host = host;
        Middleware = middleware;
    }

    public IServiceProvider Services => _host.Services;

    /// <summary>The worker middleware, outermost first.</summary>
    public IReadOnlyList<Func<FunctionExecutionDelegate, FunctionExecutionDelegate>> Middleware { get; }

    public static async Task<FunctionsApp> StartAsync(string storageConnectionString, IReadOnlyDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // The app's settings as the Functions host hands them over: environment variables (GrantFlow__Storage__TablePrefix...).
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = storageConnectionString });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddGrantFlowFunctions(builder.Configuration);
        var worker = new WorkerBuilder(builder.Services);
        worker.UseGrantFlowMiddleware();
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new FunctionsApp(host, worker.Middleware);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    /// <summary>The worker application builder the middleware is added to (it keeps what is added, in order).</summary>
    private sealed class WorkerBuilder(IServiceCollection services) : IFunctionsWorkerApplicationBuilder
    {
        public List<Func<FunctionExecutionDelegate, FunctionExecutionDelegate>> Middleware { get; } = [];

        public IServiceCollection Services => services;

        public IFunctionsWorkerApplicationBuilder Use(Func<FunctionExecutionDelegate, FunctionExecutionDelegate> middleware)
        {
            Middleware.Add(middleware);
            return this;
        }
    }
}
