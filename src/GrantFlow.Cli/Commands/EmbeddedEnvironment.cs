using GrantFlow.Hosting.Local;

namespace GrantFlow.Cli.Commands;

/// <summary>
/// The embedded default: Azurite (unless a storage connection string is given) and the local Durable Task engine.
/// </summary>
public sealed class EmbeddedEnvironment : IAsyncDisposable
{
    public const string ConnectionStringVariable = "GRANTFLOW_STORAGE_CONNECTION_STRING";

    private readonly AzuriteServer? _azurite;

    private EmbeddedEnvironment(AzuriteServer? azurite, LocalDurableEngine engine, string storageDescription)
    {
        _azurite = azurite;
        Engine = engine;
        StorageDescription = storageDescription;
    }

    public LocalDurableEngine Engine { get; }

    public string StorageDescription { get; }

    /// <param name="tasksFor">
    /// The orchestrations and activities the engine runs, made for the storage once it is known (the Functions app's
    /// functions); null: GrantFlow's own registrations.
    /// </param>
    public static async Task<EmbeddedEnvironment> StartAsync(
        string dataDirectory,
        TextWriter log,
        CancellationToken cancellationToken,
        Action<Microsoft.DurableTask.DurableTaskRegistry>? additionalTasks = null,
        TimeSpan? crashRecovery = null,
        bool recoverUnscheduledRuns = false,
        Func<string, CancellationToken, Task<Action<Microsoft.DurableTask.DurableTaskRegistry>>>? tasksFor = null)
    {
        AzuriteServer? azurite = null;
        var connectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        string description;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            azurite = await AzuriteServer.StartAsync(Path.GetFullPath(dataDirectory), log, cancellationToken);
            connectionString = azurite.ConnectionString;
            description = $"Azurite (data in {azurite.DataDirectory})";
        }
        else
        {
            description = $"Azure Storage from {ConnectionStringVariable}";
        }

        try
        {
            var engine = await LocalDurableEngine.StartAsync(new LocalEngineOptions
            {
                StorageConnectionString = connectionString,
                Tasks = tasksFor is null ? null : await tasksFor(connectionString, cancellationToken),
                AdditionalTasks = additionalTasks,
                CrashRecoveryInterval = crashRecovery ?? LocalEngineOptions.CrashRecoveryFromEnvironment(TimeSpan.FromSeconds(30)),
            }, cancellationToken: cancellationToken);
            // The hosts that run orchestrations (serve, demo) schedule a run stored but never scheduled (a crash
            // between the two) and start the chaser; read-only tools (ledger) change nothing. Maintenance that fails
            // is reported and retried at the next start (and by the Functions timer): it never stops the host.
            if (recoverUnscheduledRuns)
            {
                try
                {
                    foreach (var line in await Workflows.Recovery.RecoverySweep.RunAsync(engine.Services, engine.Client, TimeSpan.FromSeconds(30), cancellationToken))
                    {
                        if (!line.StartsWith("Started the notice chaser", StringComparison.Ordinal))
                        {
                            await log.WriteLineAsync(line);
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    await log.WriteLineAsync($"Start-up maintenance did not finish ({ex.GetType().Name}: {ex.Message}); it is tried again at the next start.");
                }
            }

            return new EmbeddedEnvironment(azurite, engine, description);
        }
        catch
        {
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
