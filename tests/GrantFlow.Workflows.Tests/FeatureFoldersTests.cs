using System.Text.RegularExpressions;

namespace GrantFlow.Workflows.Tests;

/// <summary>
/// The rooms of GrantFlow.Workflows (docs/ARCHITECTURE.md): shared plumbing (Http, Storage, Telemetry) uses no feature,
/// no feature uses the API's composition, and the features use each other without a cycle. Read from the sources: a
/// folder uses another when its code names that folder's namespace (a using, or a qualified name).
/// </summary>
public class FeatureFoldersTests
{
    private static readonly string[] Plumbing = ["Http", "Storage", "Telemetry"];

    private static readonly Lazy<Dictionary<string, HashSet<string>>> Uses = new(ReadUses);

    [Fact]
    public void Shared_plumbing_uses_no_feature()
    {
        foreach (var folder in Plumbing)
        {
            Assert.True(Uses.Value[folder].All(Plumbing.Contains), $"{folder} uses {string.Join(", ", Uses.Value[folder].Where(u => !Plumbing.Contains(u)))}");
        }
    }

    [Fact]
    public void No_feature_uses_the_composition()
    {
        Assert.Empty(Uses.Value.Where(u => u.Key != "Api" && u.Value.Contains("Api")).Select(u => u.Key));
    }

    [Fact]
    public void Features_use_each_other_without_a_cycle()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 visiting, 2 done
        var path = new Stack<string>();

        void Visit(string folder)
        {
            state[folder] = 1;
            path.Push(folder);
            foreach (var used in Uses.Value[folder])
            {
                var seen = state.GetValueOrDefault(used);
                Assert.False(seen == 1, $"cycle: {string.Join(" <- ", path)} <- {used}");
                if (seen == 0)
                {
                    Visit(used);
                }
            }

            path.Pop();
            state[folder] = 2;
        }

        foreach (var folder in Uses.Value.Keys.Where(f => !state.ContainsKey(f)))
        {
            Visit(folder);
        }

        Assert.Contains("Notices", Uses.Value["Chasing"]); // the reading sees real uses
    }

    private static Dictionary<string, HashSet<string>> ReadUses()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "GrantFlow.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("GrantFlow.sln not found above the test's folder.");
        }

        var workflows = Path.Combine(root.FullName, "src", "GrantFlow.Workflows");
        var folders = Directory.GetDirectories(workflows).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).Cast<string>().ToList();
        var named = new Regex(@"GrantFlow\.Workflows\.(\w+)|(?<![\w.])(" + string.Join('|', folders) + @")\.[A-Z]\w*");
        return folders.ToDictionary(
            folder => folder,
            folder => Directory.EnumerateFiles(Path.Combine(workflows, folder), "*.cs", SearchOption.AllDirectories)
                .SelectMany(file => File.ReadLines(file).Select(line => Regex.Replace(line, "//.*", string.Empty)))
                .SelectMany(line => named.Matches(line).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value))
                .Where(used => used != folder && folders.Contains(used))
                .ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);
    }
}
