using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Http;

/// <summary>
/// A request the stored state refuses (a run that may not start given what exists, a plan changed meanwhile): 409 with
/// its stable <see cref="Code"/> (<see cref="ProblemCodes"/>) and the arguments a client says it with. Any feature
/// throws it; its handler answers <see cref="ToResult"/>.
/// </summary>
public sealed class ConflictException : Exception
{
    public ConflictException()
    {
    }

    public ConflictException(string message)
        : base(message)
    {
    }

    public ConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConflictException(string code, string message, params (string Name, object? Value)[] args)
        : base(message)
    {
        Code = code;
        Args = ApiResult.Args(args);
    }

    public string Code { get; } = ProblemCodes.Conflict;

    public IReadOnlyDictionary<string, string>? Args { get; }

    /// <summary>The 409 that says it.</summary>
    public ApiResult ToResult() => ApiResult.Problem(409, "Conflict", Message, code: Code, args: Args);
}
