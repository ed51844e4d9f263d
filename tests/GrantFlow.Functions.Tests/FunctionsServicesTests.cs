using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Functions.Tests;

public class FunctionsServicesTests
{
    [Fact]
    public void The_functions_app_composition_resolves_every_function_class_with_validation_on_build()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGrantFlowFunctions(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" }).Build());
        var functionClasses = typeof(FunctionsComposition).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.GetMethods().Any(m => m.GetCustomAttributes(typeof(Microsoft.Azure.Functions.Worker.FunctionAttribute), false).Length > 0))
            .ToList();
        foreach (var type in functionClasses)
        {
            services.AddTransient(type);
        }

        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Contains(typeof(GrantFlow.Functions.Http.GrantFlowHttpFunctions), functionClasses);
        Assert.Contains(typeof(GrantFlow.Functions.Recovery.RecoverUnscheduledRunsFunction), functionClasses);
        Assert.All(functionClasses, type => Assert.NotNull(provider.GetRequiredService(type)));
    }
}

public class StorageEndpointsTests
{
    [Fact]
    public void A_connection_string_value_is_used_as_is()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" }).Build();

        var endpoints = GrantFlow.Workflows.Storage.StorageEndpoints.FromConfiguration(configuration, "AzureWebJobsStorage");

        Assert.Equal("UseDevelopmentStorage=true", endpoints.ConnectionString);
    }

    [Fact]
    public void Managed_identity_settings_give_service_uris_and_the_client_id()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:blobServiceUri"] = "https://st.blob.core.windows.net",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://st.queue.core.windows.net",
            ["AzureWebJobsStorage:tableServiceUri"] = "https://st.table.core.windows.net",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        }).Build();

        var endpoints = GrantFlow.Workflows.Storage.StorageEndpoints.FromConfiguration(configuration, "AzureWebJobsStorage");

        Assert.Null(endpoints.ConnectionString);
        Assert.Equal("st.table.core.windows.net", endpoints.TableServiceUri!.Host);
        Assert.Equal("00000000-0000-0000-0000-000000000001", endpoints.ManagedIdentityClientId);
    }

    [Fact]
    public void Missing_settings_are_a_clear_error()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            GrantFlow.Workflows.Storage.StorageEndpoints.FromConfiguration(new ConfigurationBuilder().Build(), "AzureWebJobsStorage"));

        Assert.Contains("tableServiceUri", ex.Message, StringComparison.Ordinal);
    }
}
