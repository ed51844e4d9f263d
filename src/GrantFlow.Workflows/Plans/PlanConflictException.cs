using GrantFlow.Contracts;
using GrantFlow.Workflows.Http;

namespace GrantFlow.Workflows.Plans;

/// <summary>A plan that may not be set given what exists (changed meanwhile, or below what is released): 409 with its code.</summary>
public sealed class PlanConflictException : Exception
{
    public PlanConflictException()
    {
    }

    public PlanConflictException(string message)
        : base(message)
    {
    }

    public PlanConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PlanConflictException(string code, string message, params (string Name, object? Value)[] args)
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
