using System.Text.RegularExpressions;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Functions.Tests;

/// <summary>The Bicep declares every table, queue and container the code uses (names from the code's options).</summary>
public partial class InfrastructureTests
{
    private static string StoragePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "infra", "core", "storage", "storage-account.bicep");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("infra/core/storage/storage-account.bicep not found above the test's folder.");
    }

    private static string StorageBicep() => File.ReadAllText(StoragePath());

    [GeneratedRegex(@"param tables string\[\] = \[(?<names>[^\]]*)\]")]
    private static partial Regex TablesParameter();

    [Fact]
    public void Every_table_the_code_uses_is_declared()
    {
        var options = new GrantFlowStorageOptions();
        var declared = TablesParameter().Match(StorageBicep()).Groups["names"].Value.Split(',').Select(n => n.Trim().Trim('\'')).ToHashSet(StringComparer.Ordinal);
        var used = typeof(GrantFlowStorageOptions).GetProperties().Where(p => p.Name.EndsWith("Table", StringComparison.Ordinal)).Select(p => (string)p.GetValue(options)!).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(11, used.Count);
        Assert.Equal(used.Order(StringComparer.Ordinal), declared.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_notice_queue_and_container_the_code_uses_is_declared()
    {
        var options = new GrantFlowStorageOptions();
        var bicep = StorageBicep();

        Assert.Equal("notices-44", options.NoticeQueue("44"));
        Assert.Equal("notices-44-counties", options.NoticeQueue("440103"));
        Assert.Contains("name: 'notices-${code}'", bicep, StringComparison.Ordinal);
        Assert.Contains("name: 'notices-${code}-counties'", bicep, StringComparison.Ordinal);
        Assert.Equal("notices-44-prefectures", options.NoticeQueue("4401"));
        Assert.Contains("name: 'notices-${code}-prefectures'", bicep, StringComparison.Ordinal);
        Assert.Contains($"param anchorContainer string = '{options.AnchorContainer}'", bicep, StringComparison.Ordinal);
        Assert.Contains($"'{options.InputContainer}'", File.ReadAllText(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(StoragePath()))!)!, "main.bicep")), StringComparison.Ordinal);
        Assert.Equal(31, Regex.Count(bicep[bicep.IndexOf("param provinceCodes", StringComparison.Ordinal)..bicep.IndexOf("param tables", StringComparison.Ordinal)], @"'\d\d'"));
    }

    [Fact]
    public void Only_the_disclosures_container_is_public_and_the_app_is_told_where_it_is()
    {
        var options = new GrantFlowStorageOptions();
        var folder = Path.GetDirectoryName(StoragePath())!;
        var publicBicep = File.ReadAllText(Path.Combine(folder, "public-storage.bicep"));
        Assert.Contains($"param disclosureContainer string = '{options.DisclosureContainer}'", publicBicep, StringComparison.Ordinal);
        Assert.Contains("publicAccess: 'Blob'", publicBicep, StringComparison.Ordinal);
        Assert.Contains("allowSharedKeyAccess: false", publicBicep, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(publicBicep, "containers@"));
        Assert.Contains("allowBlobPublicAccess: false", StorageBicep(), StringComparison.Ordinal); // the main account stays private
        Assert.DoesNotContain("publicAccess", StorageBicep(), StringComparison.Ordinal);
        var api = File.ReadAllText(Path.Combine(folder, "..", "..", "app", "api.bicep"));
        Assert.Contains($"GrantFlow__Storage__{nameof(GrantFlowStorageOptions.PublicBlobServiceUri)}: publicBlobEndpoint", api, StringComparison.Ordinal);
        Assert.Contains("'/api/public'", api, StringComparison.Ordinal); // App Service authentication lets the open data through
    }

    [Fact]
    public void Each_province_identity_may_process_its_own_notice_queue_and_nothing_else()
    {
        var folder = Path.GetDirectoryName(StoragePath())!;
        var bicep = File.ReadAllText(Path.Combine(folder, "..", "security", "province-queue-identities.bicep"));
        Assert.Contains("name: 'notices-${code}'", bicep, StringComparison.Ordinal);
        Assert.Contains("scope: queues[i]", bicep, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(bicep, "roleAssignments@"));
        Assert.Contains("var queueMessageProcessor = '8a0f0c08-91a1-4084-bc3d-661d67233fed'", bicep, StringComparison.Ordinal); // Storage Queue Data Message Processor
        Assert.Contains("provinceCodes: storage.outputs.provinceCodes", File.ReadAllText(Path.Combine(folder, "..", "..", "main.bicep")), StringComparison.Ordinal);
    }
}
