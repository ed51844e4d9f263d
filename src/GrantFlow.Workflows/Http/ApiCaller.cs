namespace GrantFlow.Workflows.Http;

/// <summary>An authenticated caller: who, and in which roles. Null callers are anonymous.</summary>
public sealed record ApiCaller(string Name, IReadOnlySet<string> Roles)
{
    public bool IsIn(string role) => Roles.Contains(role);

    /// <summary>The caller of a public operation who is not signed in (no role).</summary>
    public static ApiCaller Anonymous { get; } = new("anonymous", new HashSet<string>());
}
