using System.CommandLine;
using GrantFlow.Hosting.Functions;
using GrantFlow.Hosting.Local;
using GrantFlow.Workflows.Api;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Cli.Commands;

/// <summary><c>grantflow serve</c>: the HTTP API and the orchestrations on the embedded default, until Ctrl+C.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var portOption = new Option<int>("--port") { Description = "Loopback port of the API.", DefaultValueFactory = _ => 7071 };
        var dataOption = new Option<string>("--data-dir") { Description = "Where Azurite keeps its data.", DefaultValueFactory = _ => Path.Combine(".grantflow", "azurite") };
        var hostOption = new Option<string>("--host")
        {
            Description = "What answers: 'local' (the operations table) or 'functions' (the Functions app's own triggers, middleware, orchestrator and activity functions, behind App Service authentication).",
            DefaultValueFactory = _ => "local",
        }.AcceptOnlyFromAmong("local", "functions");
        var principalOption = new Option<string>("--principal")
        {
            Description = "With --host functions: the caller as 'app-service' authentication passes it, or as a 'static-web-app' linked backend receives it.",
            DefaultValueFactory = _ => "app-service",
        }.AcceptOnlyFromAmong("app-service", "static-web-app");
        var command = new Command("serve", "Serve the GrantFlow HTTP API with a real durable engine over Azurite.") { portOption, dataOption, hostOption, principalOption };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var port = parse.GetValue(portOption);
            if (PortInUse(port))
            {
                // One line, before anything is started: not a stack trace.
                await parse.InvocationConfiguration.Error.WriteLineAsync($"port {port} is in use (another grantflow serve, or another program, listens on 127.0.0.1:{port}); choose another with --port.");
                return GrantFlowCli.InvalidInput;
            }

            LocalTokens tokens;
            try
            {
                tokens = LocalTokens.Load(TokenCommand.DefaultKeyFile); // before anything starts: a key others can read is refused
            }
            catch (UnauthorizedAccessException ex)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(ex.Message);
                return GrantFlowCli.Failure;
            }

            using var signals = new ShutdownSignals(cancellationToken);
            FunctionsApp? functions = null;
            await using var functionsApp = new FunctionsAppOwner(() => functions);
            await using var environment = await EmbeddedEnvironment.StartAsync(parse.GetValue(dataOption)!, output, signals.Token, recoverUnscheduledRuns: true, tasksFor: parse.GetValue(hostOption) == "functions"
                ? async (storage, token) =>
                {
                    var started = functions = await FunctionsApp.StartAsync(storage, cancellationToken: token);
                    return registry => FunctionsTasks.Register(registry, started);
                }
                : null);
            var console = ConsoleSite.Find(AppContext.BaseDirectory);
            var surface = functions is null
                ? ApiSurface.OperationsTable
                : new FunctionsHttpSurface(functions, () => environment.Engine.Client, parse.GetValue(principalOption) == "static-web-app" ? PrincipalSource.StaticWebApp : PrincipalSource.AppService);
            LocalApiHost api;
            try
            {
                api = await LocalApiHost.StartAsync(environment.Engine.Services.GetRequiredService<GrantFlowApi>(), tokens, port, console, surface, cancellationToken);
            }
            catch (IOException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"port {port} was taken while GrantFlow started; choose another with --port.");
                return GrantFlowCli.InvalidInput;
            }

            await using var _ = api;
            await output.WriteLineAsync(console is null
                ? $"GrantFlow API on {api.Address}api, answered by {surface.Description} (storage: {environment.StorageDescription}); the console was not built beside this grantflow. Ctrl+C stops."
                : $"GrantFlow console on {api.Address} and API on {api.Address}api, answered by {surface.Description} (storage: {environment.StorageDescription}). Ctrl+C stops.");
            await output.WriteLineAsync("Get a token: grantflow token --user li --role finance-officer");
            try
            {
                await Task.Delay(Timeout.Infinite, signals.Token);
            }
            catch (OperationCanceledException)
            {
                await output.WriteLineAsync($"{signals.Signal?.ToString() ?? "stop"}: stopping the API, the engine, then Azurite unless another GrantFlow process uses it...");
            }

            return GrantFlowCli.Success;
        });
        return command;
    }

    /// <summary>Stops the Functions app's services (if they were started) after the engine that runs its functions.</summary>
    private sealed class FunctionsAppOwner(Func<FunctionsApp?> app) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (app() is { } started)
            {
                await started.DisposeAsync();
            }
        }
    }

    /// <summary>Whether something listens on the loopback port already.</summary>
    private static bool PortInUse(int port)
    {
        try
        {
            using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return false;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return true;
        }
    }
}
