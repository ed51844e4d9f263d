using GrantFlow.Contracts;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Workflows.Http;

/// <summary>What an API handler answers: status, JSON body, content type, an optional Location and Retry-After (seconds).</summary>
public sealed record ApiResult(int Status, object? Body, string ContentType = "application/json", string? Location = null, string? FileName = null, int? RetryAfterSeconds = null)
{
    /// <summary>A file download: Body is the byte[] content.</summary>
    public static ApiResult File(byte[] content, string contentType, string fileName) => new(200, content, contentType, FileName: fileName);

    public const string ProblemJson = "application/problem+json";

    public static ApiResult Ok(object body) => new(200, body);

    /// <summary>
    /// RFC 9457 problem details. At most <see cref="ApiLimits.MaxReportedErrors"/> errors are listed;
    /// <see cref="ProblemBody.TotalErrors"/> says how many there were.
    /// </summary>
    public static ApiResult Problem(int status, string title, string detail, IReadOnlyList<ValidationError>? errors = null, string? code = null, IReadOnlyDictionary<string, string>? args = null) =>
        new(
            status,
            new ProblemBody(
                $"https://grantflow.example/problems/{status}",
                title,
                status,
                detail,
                errors?.Take(ApiLimits.MaxReportedErrors).Select(e => new ProblemError(e.Field, e.Line, e.Message, e.Code, e.Args) { Sheet = e.Sheet, Column = e.Column }).ToList(),
                errors?.Count)
            {
                Code = code ?? ProblemCodes.ForStatus(status),
                Args = args,
            },
            ProblemJson);

    /// <summary>Arguments of a problem, written invariantly.</summary>
    public static IReadOnlyDictionary<string, string> Args(params (string Name, object? Value)[] args) => ValidationError.Arguments(args);

    /// <summary>400 with the errors of an input (the field and row of each; nothing was written).</summary>
    public static ApiResult Invalid(string title, IReadOnlyList<ValidationError> errors) =>
        Problem(400, title, $"{errors.Count} error(s){(errors.Count > ApiLimits.MaxReportedErrors ? $", the first {ApiLimits.MaxReportedErrors} listed" : string.Empty)}; nothing was written.", errors, ProblemCodes.InvalidInput, Args(("count", errors.Count)));

    public static ApiResult Unauthenticated() => Problem(401, "Unauthenticated", "This endpoint needs an authenticated caller.");

    /// <summary>What was wrong with the caller's token: none sent, expired, or not valid (never more than that).</summary>
    public const string TokenMissing = "missing";
    public const string TokenExpired = "expired";
    public const string TokenInvalid = "invalid";

    /// <summary>
    /// A 401 made to say whether the token was missing, expired or invalid (member <c>token</c> and the detail), as the
    /// host found it; why an invalid token is invalid is not said. Any other result is returned as it is.
    /// </summary>
    public ApiResult WithTokenProblem(string token) => Status != 401
        ? this
        : new ApiResult(
            401,
            new ProblemBody(
                "https://grantflow.example/problems/401",
                "Unauthenticated",
                401,
                token switch
                {
                    TokenMissing => "No token was sent: sign in and send the token as 'Authorization: Bearer <token>'.",
                    TokenExpired => "The token has expired: sign in again for a new one.",
                    _ => "The token is not valid for GrantFlow: sign in again for a new one.",
                },
                null,
                Token: token)
            {
                Code = ProblemCodes.Unauthenticated,
                Args = Args(("token", token)),
            },
            ProblemJson);

    public static ApiResult Forbidden(string detail, string code = ProblemCodes.Forbidden, IReadOnlyDictionary<string, string>? args = null) => Problem(403, "Forbidden", detail, code: code, args: args);
}

