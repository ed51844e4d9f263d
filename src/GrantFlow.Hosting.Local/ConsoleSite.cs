namespace GrantFlow.Hosting.Local;

/// <summary>
/// The GrantFlow console (Blazor WebAssembly) as the local host serves it, same origin as the API: the console's
/// static web assets manifests, copied beside the CLI by its build (<c>console/</c>). The endpoints manifest lists
/// every file and its compressed variants; the runtime manifest says where each file is on this machine.
/// </summary>
public sealed record ConsoleSite(string EndpointsManifest, string RuntimeManifest)
{
    public const string Folder = "console";
    private const string Name = "GrantFlow.Console";

    /// <summary>The console built beside <paramref name="baseDirectory"/>, or null when it was not built there.</summary>
    public static ConsoleSite? Find(string baseDirectory)
    {
        var endpoints = Path.Combine(baseDirectory, Folder, Name + ".staticwebassets.endpoints.json");
        var runtime = Path.Combine(baseDirectory, Folder, Name + ".staticwebassets.runtime.json");
        return File.Exists(endpoints) && File.Exists(runtime) ? new ConsoleSite(endpoints, runtime) : null;
    }
}
