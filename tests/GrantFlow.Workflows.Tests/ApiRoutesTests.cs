using System.Reflection;
using GrantFlow.Contracts;
using GrantFlow.Workflows.Api;

namespace GrantFlow.Workflows.Tests;

/// <summary>The routes clients fill are the routes the server maps: one list of templates, in the contracts.</summary>
public class ApiRoutesTests
{
    private static readonly HashSet<string> Templates = [.. typeof(ApiRoutes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetValue(null)!)];

    [Fact]
    public void Every_operation_maps_a_contract_route_and_every_contract_route_is_mapped()
    {
        Assert.Equal(Templates.Order(StringComparer.Ordinal), ApiOperations.All.Select(o => o.Route).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Fill_escapes_each_value_and_refuses_a_missing_or_unknown_parameter()
    {
        Assert.Equal("/api/provinces/44/notices/GF-2026-a%2Fb/acknowledgement", ApiRoutes.Fill(ApiRoutes.Acknowledgement, ("code", "44"), ("noticeNumber", "GF-2026-a/b")));
        Assert.Equal("/api/runs", ApiRoutes.Fill(ApiRoutes.Runs));
        Assert.Throws<ArgumentException>(() => ApiRoutes.Fill(ApiRoutes.Run));
        Assert.Throws<ArgumentException>(() => ApiRoutes.Fill(ApiRoutes.Run, ("run", "x")));
    }

    [Fact]
    public void No_client_spells_an_api_path_itself()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "GrantFlow.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("GrantFlow.sln not found above the test's folder.");
        }

        string[] clients = ["src/GrantFlow.Console", "src/GrantFlow.Cli", "src/GrantFlow.Hosting.Local/Soak"];
        var spelled = clients
            .SelectMany(c => Directory.EnumerateFiles(Path.Combine(root.FullName, c), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(root.FullName, f), Line: i + 1, Text: line)))
            .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l.Text, "\"/?api/[a-z]"))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(spelled.Count == 0, "paths spelled instead of ApiRoutes.Fill:\n" + string.Join("\n", spelled));
    }
}
