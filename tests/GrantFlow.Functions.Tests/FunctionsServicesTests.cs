using GrantFlow.Functions.Activities;
using GrantFlow.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Functions.Tests;

public class FunctionsServicesTests
{
    [Fact]
    public void The_functions_app_services_resolve_with_validation_on_build()
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddGrantFlowWorkflows(new ConfigurationBuilder().Build(), "UseDevelopmentStorage=true");
        services.AddTransient<AllocationRunActivityFunctions>();

        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.NotNull(provider.GetRequiredService<AllocationRunActivityFunctions>());
    }
}
