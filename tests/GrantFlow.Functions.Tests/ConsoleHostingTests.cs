using System.Text.Json;
using GrantFlow.Workflows.Api;

namespace GrantFlow.Functions.Tests;

/// <summary>
/// The console's Azure hosting as declared: a Static Web App (Standard) whose /api is the Functions app, linked;
/// its rolesSource is the API's roles route; azd deploys the published console to it.
/// </summary>
public class ConsoleHostingTests
{
    private static string Repository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "azure.yaml")))
            {
                return dir.FullName;
            }
        }

        throw new FileNotFoundException("azure.yaml not found above the test's folder.");
    }

    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([Repository(), .. path]));

    [Fact]
    public void The_static_web_app_is_standard_and_links_the_functions_app_as_its_api()
    {
        var bicep = Read("infra", "app", "console.bicep");
        Assert.Contains("'Microsoft.Web/staticSites@", bicep, StringComparison.Ordinal);
        Assert.Contains("name: 'Standard'", bicep, StringComparison.Ordinal);
        Assert.Contains("resource api 'linkedBackends'", bicep, StringComparison.Ordinal);
        Assert.Contains("backendResourceId: functionApp.id", bicep, StringComparison.Ordinal);
        var main = Read("infra", "main.bicep");
        Assert.Contains("module console 'app/console.bicep'", main, StringComparison.Ordinal);
        Assert.Contains("functionAppName: api.outputs.name", main, StringComparison.Ordinal);
    }

    [Fact]
    public void The_roles_source_is_the_api_roles_route_and_client_routes_fall_back_to_the_app()
    {
        using var config = JsonDocument.Parse(Read("src", "GrantFlow.Console", "wwwroot", "staticwebapp.config.json"));
        var root = config.RootElement;
        Assert.Equal("/api/" + GrantFlowApi.RolesRoute, root.GetProperty("auth").GetProperty("rolesSource").GetString());
        var registration = root.GetProperty("auth").GetProperty("identityProviders").GetProperty("azureActiveDirectory").GetProperty("registration");
        var bicep = Read("infra", "app", "console.bicep");
        Assert.Contains(registration.GetProperty("clientIdSettingName").GetString()! + ":", bicep, StringComparison.Ordinal);
        Assert.Contains(registration.GetProperty("clientSecretSettingName").GetString()! + ":", bicep, StringComparison.Ordinal);
        Assert.Equal("/index.html", root.GetProperty("navigationFallback").GetProperty("rewrite").GetString());
        Assert.Contains(root.GetProperty("routes").EnumerateArray(), r => r.GetProperty("route").GetString() == "/api/*" && r.GetProperty("allowedRoles")[0].GetString() == "authenticated");
    }

    [Fact]
    public void Azd_deploys_the_published_console_to_the_static_web_app()
    {
        var yaml = Read("azure.yaml");
        Assert.Contains("project: ./src/GrantFlow.Console", yaml, StringComparison.Ordinal);
        Assert.Contains("host: staticwebapp", yaml, StringComparison.Ordinal);
        Assert.Contains("dist: bin/Release/net10.0/publish/wwwroot", yaml, StringComparison.Ordinal);
        Assert.Contains("'azd-service-name': 'console'", Read("infra", "main.bicep"), StringComparison.Ordinal);
    }
}
