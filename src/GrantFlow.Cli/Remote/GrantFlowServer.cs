using GrantFlow.Contracts;
using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GrantFlow.Hosting.Local;

namespace GrantFlow.Cli.Remote;

/// <summary>
/// The options every API command takes: which GrantFlow API (<c>--server</c>, default the local host) and who calls
/// it: <c>--token</c> (or GRANTFLOW_TOKEN: a local token from <c>grantflow token</c>, or an Entra ID access token for
/// the app in Azure), or <c>--user</c> with <c>--role</c> to mint a local token with the local signing key.
/// </summary>
public static class ServerOptions
{
    public const string TokenVariable = "GRANTFLOW_TOKEN";

    public static readonly Option<Uri> Server = new("--server")
    {
        Description = "The GrantFlow API (default: the local host).",
        DefaultValueFactory = _ => new Uri("http://127.0.0.1:7071"),
        CustomParser = result =>
        {
            if (Uri.TryCreate(result.Tokens.Single().Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri;
            }

            result.AddError($"--server: '{result.Tokens.Single().Value}' is not an http(s) address.");
            return null;
        },
    };
    public static readonly Option<string?> Token = new("--token") { Description = $"Bearer token (default: ${TokenVariable})." };
    public static readonly Option<string?> User = new("--user") { Description = "With --role: mint a local token for this user." };
    public static readonly Option<string?> Role = new("--role") { Description = "With --user: the role of the local token (finance-officer, approver, auditor, province:<code>)." };

    public static void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { Server, Token, User, Role })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The bearer token to send, or null (the API then answers 401).</summary>
    public static string? TokenOf(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(Token) is { Length: > 0 } token)
        {
            return token;
        }

        if (parse.GetValue(User) is { Length: > 0 } user && parse.GetValue(Role) is { Length: > 0 } role)
        {
            return LocalTokens.Load(Commands.TokenCommand.DefaultKeyFile).Mint(user, [role], TimeSpan.FromHours(1));
        }

        return Environment.GetEnvironmentVariable(TokenVariable);
    }
}

/// <summary>What the API answered: the status and the body (JSON or problem+json).</summary>
public sealed record ServerAnswer(HttpStatusCode Status, string Body)
{
    public bool Succeeded => (int)Status is >= 200 and < 300;

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The answer as the contract's type of it.</summary>
    public T Read<T>() => JsonSerializer.Deserialize<T>(Body, GrantFlowJson.Options) ?? throw new JsonException($"the server answered null for a {typeof(T).Name}.");

    /// <summary>
    /// Exit codes scripts can use: 0 done, 2 invalid input (400, 413, 415, 422: nothing was written), 3 not allowed
    /// (401, 403), 4 conflict or not found (404, 409), 1 anything else (the server or the network).
    /// </summary>
    public int ExitCode => (int)Status switch
    {
        >= 200 and < 300 => GrantFlowCli.Success,
        400 or 413 or 415 or 422 => GrantFlowCli.InvalidInput,
        401 or 403 => GrantFlowCli.NotAllowed,
        404 or 409 => GrantFlowCli.Conflict,
        _ => GrantFlowCli.Failure,
    };

    /// <summary>A problem's title, detail and field/row errors, as lines for stderr.</summary>
    public string Describe()
    {
        try
        {
            var problem = Json;
            var text = new StringBuilder($"{(int)Status} {Prop(problem, "title")}: {Prop(problem, "detail")}");
            if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in errors.EnumerateArray())
                {
                    var line = error.TryGetProperty("row", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt32() : (int?)null;
                    var row = error.TryGetProperty("sheet", out var sheet) && sheet.ValueKind == JsonValueKind.String
                        ? $"sheet '{sheet.GetString()}'{(line is { } n ? $" row {n}" : string.Empty)}{(error.TryGetProperty("column", out var column) && column.ValueKind == JsonValueKind.String ? $" column {column.GetString()}" : string.Empty)}, "
                        : line is { } l ? $"line {l}, " : string.Empty;
                    text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{Environment.NewLine}  - {row}{Prop(error, "field")}: {Prop(error, "message")}");
                }
            }

            return text.ToString();
        }
        catch (JsonException)
        {
            return $"{(int)Status}: {Body[..Math.Min(Body.Length, 500)]}";
        }
    }

    private static string? Prop(JsonElement e, string name) => e.TryGetProperty(name, out var p) ? p.ToString() : null;
}

/// <summary>A thin client of the GrantFlow HTTP API (the same routes the console and curl use).</summary>
public sealed class GrantFlowServer(Uri server, string? token) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = server, Timeout = TimeSpan.FromMinutes(2) };

    public void Dispose() => _http.Dispose();

    public Task<ServerAnswer> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<ServerAnswer> PostAsync(string path, object? body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<ServerAnswer> PutAsync(string path, object? body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Put, path, body, cancellationToken);

    private async Task<ServerAnswer> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, GrantFlowJson.Options), Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        return new ServerAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
