namespace GrantFlow.Workflows.Api;

/// <summary>The roles GrantFlow knows. Province roles are <c>province:{code}</c>.</summary>
public static class GrantFlowRoles
{
    public const string FinanceOfficer = "finance-officer";
    public const string Approver = "approver";
    public const string Auditor = "auditor";
    public const string ProvincePrefix = "province:";

    public static string Province(string code) => ProvincePrefix + code;

    public static bool IsKnown(string role) =>
        role is FinanceOfficer or Approver or Auditor
        || (role.StartsWith(ProvincePrefix, StringComparison.Ordinal) && Domain.Programs.ProvinceCodes.IsKnown(role[ProvincePrefix.Length..]));
}

/// <summary>An authenticated caller: who, and in which roles. Null callers are anonymous.</summary>
public sealed record ApiCaller(string Name, IReadOnlySet<string> Roles)
{
    public bool IsIn(string role) => Roles.Contains(role);
}
