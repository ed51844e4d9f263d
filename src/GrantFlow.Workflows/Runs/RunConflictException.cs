using GrantFlow.Contracts;
using GrantFlow.Workflows.Http;

namespace GrantFlow.Workflows.Runs;

/// <summary>
/// A run that may not start given what already exists (e.g. a year settled twice, or with no advance): 409 with its
/// stable <see cref="Code"/> (<see cref="ProblemCodes"/>) and the arguments a client says it with.
/// </summary>
public sealed class RunConflictException : Exception
{
    public RunConflictException()
    {
    }

    public RunConflictException(string message)
        : base(message)
    {
    }

    public RunConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RunConflictException(string code, string message, params (string Name, object? Value)[] args)
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
