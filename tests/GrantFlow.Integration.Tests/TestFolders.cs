namespace GrantFlow.Integration.Tests;

/// <summary>The end of what a test started: its hosts disposed in order, then its temporary folder deleted.</summary>
internal static class TestFolders
{
    /// <summary>Disposes <paramref name="started"/> in order (what answers before what it uses), then deletes <paramref name="folder"/>.</summary>
    public static async Task EndAsync(string folder, params IAsyncDisposable?[] started)
    {
        foreach (var item in started)
        {
            if (item is not null)
            {
                await item.DisposeAsync();
            }
        }

        Delete(folder);
    }

    /// <summary>Deletes the folder; one a stopped process still holds is left to the system's temp cleaning.</summary>
    public static void Delete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // a temporary folder: best effort
        }
    }
}
