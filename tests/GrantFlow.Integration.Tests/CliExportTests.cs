using GrantFlow.Cli;

namespace GrantFlow.Integration.Tests;

/// <summary>Exports land exactly where the official says, in a folder created for them, or exit 2 with one line.</summary>
public class CliExportTests
{
    [Fact]
    public async Task An_export_is_written_where_the_user_says_creating_its_folder_and_a_wrong_name_is_refused_before_anything_starts()
    {
        var root = Path.Combine(Path.GetTempPath(), "grantflow-export-" + Guid.NewGuid().ToString("N"));
        var data = Path.Combine(root, "azurite");
        var target = Path.Combine(root, "exports", "2026", "ledger.csv");
        var refusedData = Path.Combine(root, "never-started");
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await GrantFlowCli.RunAsync(["ledger", "export", "--data-dir", data, "--year", "2026", "--out", target], output, error);
            using var refusedError = new StringWriter();
            var refused = await GrantFlowCli.RunAsync(["ledger", "export", "--data-dir", refusedData, "--year", "2026", "--out", Path.Combine(root, "ledger.txt")], new StringWriter(), refusedError);

            Assert.Equal(0, exit);
            Assert.True(File.Exists(target), error.ToString());
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, File.ReadAllBytes(target)[..3]); // CSV for Excel: UTF-8 with BOM
            Assert.Contains(target, output.ToString(), StringComparison.Ordinal);
            Assert.False(File.Exists(target + ".partial"));
            Assert.Equal(2, refused);
            Assert.Single(refusedError.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.False(Directory.Exists(refusedData));
        }
        finally
        {
            TestFolders.Delete(root);
        }
    }
}
