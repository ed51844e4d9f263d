using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Runs;
using GrantFlow.Workflows.Storage;
using Microsoft.DurableTask;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GrantFlow.Workflows;

/// <summary>Registers GrantFlow's orchestrations, activities, storage adapters and run services.</summary>
public static class WorkflowRegistration
{
    /// <summary>The orchestration and its activities, for any Durable Task worker.</summary>
    public static void AddGrantFlowTasks(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestratorFunc<AllocationRunRequest, AllocationRunResult>(
            AllocationRunOrchestrator.Name, (context, request) => AllocationRunOrchestrator.RunAsync(context, request));
        registry.AddActivity<ComputeAllocationActivity>(ActivityNames.ComputeAllocation);
        registry.AddActivity<FindDecisionActivity>(ActivityNames.FindDecision);
        registry.AddActivity<SetRunStatusActivity>(ActivityNames.SetRunStatus);
        registry.AddActivity<EnterStageActivity>(ActivityNames.EnterStage);
        registry.AddActivity<WriteLedgerActivity>(ActivityNames.WriteLedger);
        registry.AddActivity<SendNoticesActivity>(ActivityNames.SendNotices);
        registry.AddActivity<CompleteRunActivity>(ActivityNames.CompleteRun);
        registry.AddActivity<Disclosure.PublishReleaseActivity>(ActivityNames.PublishRelease);
        registry.AddOrchestratorFunc<Chasing.NoticeChaserRequest, Chasing.ChaseSweep>(
            Chasing.NoticeChaserOrchestrator.Name, (context, request) => Chasing.NoticeChaserOrchestrator.RunAsync(context, request));
        registry.AddActivity<Chasing.ChaseNoticesActivity>(Chasing.NoticeChaserOrchestrator.SweepActivity);
        registry.AddOrchestratorFunc<Chasing.PassDownDeadlineRequest, string>(
            Chasing.PassDownDeadlineOrchestrator.Name, (context, request) => Chasing.PassDownDeadlineOrchestrator.RunAsync(context, request));
        registry.AddActivity<Chasing.FollowPassDownDeadlineActivity>(Chasing.PassDownDeadlineOrchestrator.StepActivity);
    }

    /// <summary>Storage clients (Microsoft.Extensions.Azure) from a connection string, options, repositories and services.</summary>
    public static IServiceCollection AddGrantFlowWorkflows(this IServiceCollection services, IConfiguration configuration, string storageConnectionString) =>
        services.AddGrantFlowWorkflows(configuration, StorageEndpoints.FromConnectionString(storageConnectionString));

    /// <summary>
    /// A queue send is not idempotent: the SDK's own retry of a send whose answer was lost (the message stored, the
    /// connection dropped) puts the notice on the queue twice, unseen by the outbox. So the
    /// SDK does not retry queue calls; a failure reaches the outbox, whose protocol (attempt recorded, then a search of
    /// the queue before any resend) decides.
    /// </summary>
    private static void NoHiddenResend(Azure.Storage.Queues.QueueClientOptions options)
    {
        options.Retry.MaxRetries = 0;
        options.AddPolicy(new Telemetry.StorageTelemetryPolicy("queue"), Azure.Core.HttpPipelinePosition.PerRetry);
    }

    /// <summary>As above, with a connection string or managed-identity service URIs.</summary>
    public static IServiceCollection AddGrantFlowWorkflows(this IServiceCollection services, IConfiguration configuration, StorageEndpoints storage)
    {
        ArgumentNullException.ThrowIfNull(storage);

        // Before the Azure clients, which otherwise leave a null logger factory in a container no host set up.
        services.AddLogging();
        // Settings are checked when the host starts: a bad prefix or a deadline before its reminder stops the host
        // with the setting named, instead of failing the first request or sweep that reads it.
        services.AddOptions<GrantFlowStorageOptions>().Bind(configuration.GetSection(GrantFlowStorageOptions.SectionName))
            .Validate(o => System.Text.RegularExpressions.Regex.IsMatch(o.TablePrefix, "^[A-Za-z][A-Za-z0-9]{0,29}$"), $"{GrantFlowStorageOptions.SectionName}:TablePrefix must be a letter then up to 29 letters or digits.")
            .Validate(o => o.NoticeQueuePrefix.Length is >= 3 and <= 40 && System.Text.RegularExpressions.Regex.IsMatch(o.NoticeQueuePrefix, "^[a-z0-9]+(-[a-z0-9]+)*$"), $"{GrantFlowStorageOptions.SectionName}:NoticeQueuePrefix must be 3 to 40 lowercase letters, digits and single inner hyphens.")
            .ValidateOnStart();
        services.AddOptions<Chasing.ChasingOptions>().Bind(configuration.GetSection(Chasing.ChasingOptions.SectionName))
            .Validate(o => o.ChaseAfter > TimeSpan.Zero && o.EscalateAfter >= o.ChaseAfter, $"{Chasing.ChasingOptions.SectionName}: ChaseAfter must be positive and EscalateAfter no shorter.")
            .Validate(o => o.PassDownReminderAfter > TimeSpan.Zero && o.PassDownDeadline > o.PassDownReminderAfter, $"{Chasing.ChasingOptions.SectionName}: PassDownReminderAfter must be positive and PassDownDeadline later.")
            .Validate(o => o.SweepInterval > TimeSpan.Zero && o.SweepBudget > TimeSpan.Zero, $"{Chasing.ChasingOptions.SectionName}: SweepInterval and SweepBudget must be positive.")
            .ValidateOnStart();
        services.AddOptions<Disputes.DisputeOptions>().Bind(configuration.GetSection(Disputes.DisputeOptions.SectionName))
            .Validate(o => o.Window > TimeSpan.Zero && o.ProgramWindows.Values.All(w => w > TimeSpan.Zero), $"{Disputes.DisputeOptions.SectionName}: every dispute window must be positive.")
            .ValidateOnStart();
        services.AddAzureClients(clients =>
        {
            if (storage.ConnectionString is { } connectionString)
            {
                clients.AddTableServiceClient(connectionString).ConfigureOptions(o => o.AddPolicy(new Telemetry.StorageTelemetryPolicy("table"), Azure.Core.HttpPipelinePosition.PerRetry));
                clients.AddBlobServiceClient(connectionString).ConfigureOptions(o => o.AddPolicy(new Telemetry.StorageTelemetryPolicy("blob"), Azure.Core.HttpPipelinePosition.PerRetry));
                clients.AddQueueServiceClient(connectionString).ConfigureOptions(NoHiddenResend);
            }
            else
            {
                clients.AddTableServiceClient(storage.TableServiceUri!).ConfigureOptions(o => o.AddPolicy(new Telemetry.StorageTelemetryPolicy("table"), Azure.Core.HttpPipelinePosition.PerRetry));
                clients.AddBlobServiceClient(storage.BlobServiceUri!).ConfigureOptions(o => o.AddPolicy(new Telemetry.StorageTelemetryPolicy("blob"), Azure.Core.HttpPipelinePosition.PerRetry));
                clients.AddQueueServiceClient(storage.QueueServiceUri!).ConfigureOptions(NoHiddenResend);
                if (configuration[$"{GrantFlowStorageOptions.SectionName}:{nameof(GrantFlowStorageOptions.PublicBlobServiceUri)}"] is { Length: > 0 } publicBlobs)
                {
                    clients.AddBlobServiceClient(new Uri(publicBlobs)).WithName(PublicBlobClient);
                }

                clients.UseCredential(storage.ManagedIdentityClientId is { Length: > 0 } clientId
                    ? new Azure.Identity.ManagedIdentityCredential(Azure.Identity.ManagedIdentityId.FromUserAssignedClientId(clientId))
                    : new Azure.Identity.DefaultAzureCredential());
            }
        });
        services.AddSingleton<GrantFlowTables>();
        services.AddSingleton<RunRepository>();
        services.AddSingleton<Ledger.IRunRecords>(sp => sp.GetRequiredService<RunRepository>());
        services.AddSingleton<AllocationRepository>();
        services.AddSingleton<DecisionRepository>();
        services.AddSingleton<LedgerRepository>();
        services.AddSingleton<NoticeOutbox>();
        services.AddSingleton<OpenNotices>();
        services.AddSingleton<NoticeAcknowledgements>();
        services.AddSingleton<Chasing.NoticeChaseSteps>();
        services.AddSingleton<Chasing.PassDownDeadlines>();
        services.AddSingleton<Chasing.ChaseEndpoints>();
        services.AddSingleton<Disputes.DisputeRepository>();
        services.AddSingleton<Disputes.DisputeService>();
        services.AddSingleton<PassDown.PassDownService>();
        services.AddSingleton<RunLedgerEntries>();
        services.AddSingleton<AllocationRunSteps>();
        services.AddSingleton<Ledger.LedgerAuditService>();
        services.AddSingleton<Ledger.LedgerTracer>();
        services.AddSingleton<Ledger.LedgerAnchorStore>();
        services.AddSingleton<Ledger.LedgerQueryService>();
        services.AddSingleton<Ledger.LedgerExport>();
        services.AddSingleton<Reports.MonthlyFundReport>();
        services.AddSingleton<Runs.RunListEndpoints>();
        services.AddSingleton<Plans.PlanRepository>();
        services.AddSingleton<Plans.PlanAudit>();
        services.AddSingleton<Plans.PlanService>();
        services.AddSingleton<Ledger.IProgramStandings>(provider => provider.GetRequiredService<Plans.PlanService>());
        services.AddSingleton<Plans.PlanEndpoints>();
        services.AddSingleton(provider => new Disclosure.DisclosureStore(PublicContainer(provider)));
        services.AddSingleton<Disclosure.ReleasePublisher>();
        services.AddSingleton<Ledger.IPublishedRoots>(provider => provider.GetRequiredService<Disclosure.ReleasePublisher>());
        services.AddSingleton<Disclosure.DisclosureEndpoints>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Api.HealthEndpoints>();
        return services;
    }

    /// <summary>The named client of the public storage account (Azure), when one is configured.</summary>
    private const string PublicBlobClient = "public";

    /// <summary>
    /// The container of published releases: in the public storage account when <see cref="GrantFlowStorageOptions.PublicBlobServiceUri"/>
    /// is set (Azure: an account that allows anonymous reads and holds nothing else), otherwise in the main account
    /// (locally: served read-only by the API's public path).
    /// </summary>
    private static Azure.Storage.Blobs.BlobContainerClient PublicContainer(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<GrantFlowStorageOptions>>().Value;
        var blobs = options.PublicBlobServiceUri is { Length: > 0 }
            ? provider.GetRequiredService<IAzureClientFactory<Azure.Storage.Blobs.BlobServiceClient>>().CreateClient(PublicBlobClient)
            : provider.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>();
        return blobs.GetBlobContainerClient(options.DisclosureContainer);
    }

    /// <summary>
    /// The run services and the API over a <see cref="Microsoft.DurableTask.Client.DurableTaskClient"/> in DI (the local
    /// host). The Functions app gets its client per invocation instead and builds them with GrantFlowApi.Create.
    /// </summary>
    public static IServiceCollection AddGrantFlowRunServices(this IServiceCollection services)
    {
        services.AddSingleton<RunService>();
        services.AddSingleton<ApprovalService>();
        services.AddSingleton<Runs.RunEndpoints>();
        services.AddSingleton<Ledger.LedgerEndpoints>();
        services.AddSingleton<Notices.NoticeEndpoints>();
        services.AddSingleton<Reports.ReportEndpoints>();
        services.AddSingleton<Disputes.DisputeEndpoints>();
        services.AddSingleton<PassDown.PassDownEndpoints>();
        services.AddSingleton<Api.GrantFlowApi>();
        return services;
    }
}
