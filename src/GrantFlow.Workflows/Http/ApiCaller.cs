namespace GrantFlow.Workflows.Http;

/// <summary>An authenticated caller: who, and in which roles. Null callers are anonymous.</summary>
public sealed record ApiCaller(string Name, IReadOnlySet<string> Roles)
{
    public bool IsIn(string role) => Roles.Contains(role);
}
