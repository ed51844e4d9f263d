using GrantFlow.Contracts;
using GrantFlow.Domain.Disclosure;

namespace GrantFlow.Console.Services;

/// <summary>The published open data as anyone reads it (no sign-in needed): the indexes and one run's release.</summary>
public static class PublishedData
{
    /// <summary>A link to a published file, relative to the console's base address as the API client's calls are.</summary>
    public static string Href(string route) => route.TrimStart('/');

    /// <summary>A run's published release, or null when it is not published (404).</summary>
    public static async Task<PublishedRelease?> ReleaseAsync(ApiClient api, string runId)
    {
        ArgumentNullException.ThrowIfNull(api);
        try
        {
            return await api.GetAsync<PublishedRelease>(ApiRoutes.Fill(ApiRoutes.PublicRelease, ("file", runId + ".json")));
        }
        catch (ApiProblemException ex) when (ex.Problem.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The newest releases of every year, or one year's (404: none yet, an empty list).</summary>
    public static async Task<IReadOnlyList<PublishedSummary>> IndexAsync(ApiClient api, int? fiscalYear)
    {
        ArgumentNullException.ThrowIfNull(api);
        try
        {
            var file = fiscalYear is { } year ? year.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".json" : "latest.json";
            return (await api.GetAsync<PublishedIndex>(ApiRoutes.Fill(ApiRoutes.PublicIndex, ("file", file)))).Releases;
        }
        catch (ApiProblemException ex) when (ex.Problem.Status == 404)
        {
            return [];
        }
    }
}
