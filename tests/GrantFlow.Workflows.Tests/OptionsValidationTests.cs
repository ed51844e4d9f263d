using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GrantFlow.Workflows.Tests;

/// <summary>A host with a bad setting does not start, and says which setting.</summary>
public class OptionsValidationTests
{
    private static async Task<Exception?> StartWithAsync(string key, string value)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddGrantFlowWorkflows(builder.Configuration, "UseDevelopmentStorage=true");
        using var host = builder.Build();
        try
        {
            await host.StartAsync();
            await host.StopAsync();
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return ex;
        }
    }

    [Theory]
    [InlineData("GrantFlow:Storage:TablePrefix", "Grant-Flow", "TablePrefix")]
    [InlineData("GrantFlow:Storage:NoticeQueuePrefix", "Notices", "NoticeQueuePrefix")]
    [InlineData("GrantFlow:Chasing:PassDownDeadline", "10.00:00:00", "PassDownDeadline")]
    [InlineData("GrantFlow:Chasing:SweepBudget", "00:00:00", "SweepBudget")]
    [InlineData("GrantFlow:Disputes:Window", "-1.00:00:00", "dispute window")]
    public async Task A_bad_setting_stops_the_host_naming_it(string key, string value, string named)
    {
        var refused = await StartWithAsync(key, value);

        Assert.NotNull(refused);
        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_defaults_and_the_soaks_prefixes_start()
    {
        Assert.Null(await StartWithAsync("GrantFlow:Storage:NoticeQueuePrefix", "soak-notices"));
    }
}
