using GrantFlow.Contracts;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GrantFlow.Console.Services;

/// <summary>The HTTP API as the console calls it: the signed-in user's token on every call, problems as exceptions.</summary>
public sealed class ApiClient(HttpClient http, Session session)
{
    public static JsonSerializerOptions Json => GrantFlowJson.Options;

    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken = default) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Get, Relative(path)), cancellationToken);

    public Task<T> PostAsync<T>(string path, object body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Post, Relative(path)) { Content = JsonContent.Create(body, body.GetType(), options: Json) }, cancellationToken);

    public Task<T> PutAsync<T>(string path, object body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Put, Relative(path)) { Content = JsonContent.Create(body, body.GetType(), options: Json) }, cancellationToken);

    /// <summary>A file the API answers (a ledger export): its bytes, content type and suggested name.</summary>
    public async Task<(byte[] Bytes, string ContentType, string FileName)> DownloadAsync(string path, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Relative(path));
        using var response = await SendRawAsync(request, cancellationToken);
        var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "export";
        return (await response.Content.ReadAsByteArrayAsync(cancellationToken), response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream", name);
    }

    /// <summary>The local host's demo users, or null where sign-in is the Static Web App's.</summary>
    public async Task<IReadOnlyList<DemoUser>?> DemoUsersAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(Relative("local/users"), cancellationToken);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<List<DemoUser>>(Json, cancellationToken) : null;
    }

    public async Task<SignedInUser> SignInAsync(string user, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync(Relative("local/sign-in"), new { user }, Json, cancellationToken);
        await ThrowIfProblemAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<SignedInUser>(Json, cancellationToken))!;
    }

    private static Uri Relative(string path) => new(path.TrimStart('/'), UriKind.Relative);

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await SendRawAsync(request, cancellationToken);
            return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (session.Token is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await http.SendAsync(request, cancellationToken);
        try
        {
            await ThrowIfProblemAsync(response, cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        return response;
    }

    private static async Task ThrowIfProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        ProblemBody? problem = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            problem = await response.Content.ReadFromJsonAsync<ProblemBody>(Json, cancellationToken);
        }

        throw new ApiProblemException(response.StatusCode, problem ?? new ProblemBody("about:blank", response.ReasonPhrase ?? "Error", (int)response.StatusCode, string.Empty, null));
    }
}

/// <summary>The API refused a call; the page shows the problem as it is.</summary>
public sealed class ApiProblemException(HttpStatusCode status, ProblemBody problem) : Exception(problem?.Detail ?? problem?.Title)
{
    public HttpStatusCode Status { get; } = status;

    public ProblemBody Problem { get; } = problem!;
}
