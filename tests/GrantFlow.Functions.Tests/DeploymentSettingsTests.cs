using System.Text.Json;
using System.Text.RegularExpressions;
using DurableTask.AzureStorage;
using GrantFlow.Hosting.Local;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace GrantFlow.Functions.Tests;

/// <summary>
/// What Azure will run with, checked without Azure: every setting the Functions app reads is one the Bicep sets (or
/// one of GrantFlow's own optional sections, whose defaults are validated at start), and host.json's Durable Task
/// settings are the ones the local engine runs with.
/// </summary>
public partial class DeploymentSettingsTests
{
    private static string RepositoryFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GrantFlow.sln")))
            {
                return File.ReadAllText(Path.Combine([dir.FullName, .. parts]));
            }
        }

        throw new FileNotFoundException("GrantFlow.sln not found above the test's folder.");
    }

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*:", RegexOptions.Multiline)]
    private static partial Regex BicepProperty();

    [Fact]
    public void Every_setting_the_app_reads_in_azure_is_named_in_the_bicep_app_settings()
    {
        var bicep = RepositoryFile("infra", "app", "api.bicep");
        var appSettings = bicep[bicep.IndexOf("resource appSettings", StringComparison.Ordinal)..];
        appSettings = appSettings[..appSettings.IndexOf("resource authSettings", StringComparison.Ordinal)];
        var named = BicepProperty().Matches(appSettings).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var read = new HashSet<string>(StringComparer.Ordinal);
        var configuration = new Recording(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // as in Azure: service URIs and a managed identity, Application Insights on
            ["AzureWebJobsStorage:blobServiceUri"] = "https://st.blob.core.windows.net",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://st.queue.core.windows.net",
            ["AzureWebJobsStorage:tableServiceUri"] = "https://st.table.core.windows.net",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000",
        }).Build(), read);

        var services = new ServiceCollection().AddLogging();
        services.AddGrantFlowFunctions(configuration);
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<GrantFlow.Workflows.Storage.GrantFlowTables>();

        // A key is named when the Bicep sets it, or sets settings under it (AzureWebJobsStorage__tableServiceUri names AzureWebJobsStorage).
        bool Named(string key) => named.Contains(key.Replace(":", "__", StringComparison.Ordinal)) || named.Any(n => n.StartsWith(key.Replace(":", "__", StringComparison.Ordinal) + "__", StringComparison.Ordinal));
        var unnamed = read.Where(key => !key.StartsWith("GrantFlow", StringComparison.Ordinal) && !Named(key)).ToList();
        Assert.Contains("AzureWebJobsStorage:tableServiceUri", read); // the recording sees real reads
        Assert.True(unnamed.Count == 0, "read but not set by infra/app/api.bicep: " + string.Join(", ", unnamed));
    }

    [Fact]
    public void Host_json_runs_durable_task_on_the_task_hub_storage_partitions_and_activity_concurrency_of_the_local_engine()
    {
        using var host = JsonDocument.Parse(RepositoryFile("host.json"));
        var durable = host.RootElement.GetProperty("extensions").GetProperty("durableTask");
        var storage = durable.GetProperty("storageProvider");

        Assert.Equal(LocalEngineOptions.DefaultTaskHubName, durable.GetProperty("hubName").GetString());
        Assert.Equal("AzureStorage", storage.GetProperty("type").GetString());
        var partitions = storage.TryGetProperty("partitionCount", out var count) ? count.GetInt32() : 4; // the extension's default
        Assert.Equal(new AzureStorageOrchestrationServiceSettings().PartitionCount, partitions);
        Assert.Equal(new LocalEngineOptions { StorageConnectionString = "unused" }.MaxConcurrentActivities, durable.GetProperty("maxConcurrentActivityFunctions").GetInt32());

        // A decision signalled at a quiet moment is picked up within a second, as locally (0.5 s), not after the
        // extension's default of 30 s between polls of an idle control queue.
        var polling = TimeSpan.Parse(storage.GetProperty("maxQueuePollingInterval").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(polling, new LocalEngineOptions { StorageConnectionString = "unused" }.MaxQueuePollingInterval, TimeSpan.FromSeconds(1));
    }

    /// <summary>A configuration that notes every key read through it (values, sections, and keys within sections).</summary>
    private sealed class Recording(IConfiguration inner, HashSet<string> read, string prefix = "") : IConfigurationSection
    {
        public string? this[string key]
        {
            get
            {
                lock (read)
                {
                    read.Add(prefix + key);
                }

                return inner[key];
            }

            set => inner[key] = value;
        }

        public string Key => inner is IConfigurationSection s ? s.Key : string.Empty;

        public string Path => inner is IConfigurationSection s ? s.Path : string.Empty;

        public string? Value
        {
            get => inner is IConfigurationSection s ? s.Value : null;
            set => throw new NotSupportedException();
        }

        public IConfigurationSection GetSection(string key)
        {
            lock (read)
            {
                read.Add(prefix + key);
            }

            return new Recording(inner.GetSection(key), read, prefix + key + ":");
        }

        public IEnumerable<IConfigurationSection> GetChildren() => inner.GetChildren().Select(c => new Recording(c, read, prefix + c.Key + ":"));

        public IChangeToken GetReloadToken() => inner.GetReloadToken();
    }
}
