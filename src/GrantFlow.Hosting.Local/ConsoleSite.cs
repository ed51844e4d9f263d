namespace GrantFlow.Hosting.Local;

/// <summary>
/// The GrantFlow console (Blazor WebAssembly) as the local host serves it, same origin as the API: the console as
/// published beside the CLI (<c>console/wwwroot</c>, trimmed, each file with its Brotli and gzip variants) and the
/// endpoints manifest that lists every file, its variants and its headers.
/// </summary>
public sealed record ConsoleSite(string EndpointsManifest, string WebRoot)
{
    public const string Folder = "console";
    private const string Name = "GrantFlow.Console";

    /// <summary>The console published beside <paramref name="baseDirectory"/>, or null when it was not.</summary>
    public static ConsoleSite? Find(string baseDirectory)
    {
        var endpoints = Path.Combine(baseDirectory, Folder, Name + ".staticwebassets.endpoints.json");
        var webRoot = Path.Combine(baseDirectory, Folder, "wwwroot");
        return File.Exists(endpoints) && File.Exists(Path.Combine(webRoot, "index.html")) ? new ConsoleSite(endpoints, webRoot) : null;
    }
}
