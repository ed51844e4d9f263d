namespace GrantFlow.Contracts;

/// <summary>The roles GrantFlow knows. Province roles are <c>province:{code}</c>.</summary>
public static class GrantFlowRoles
{
    public const string FinanceOfficer = "finance-officer";
    public const string Approver = "approver";
    public const string Auditor = "auditor";
    public const string ProvincePrefix = "province:";
    public const string ProvinceApproverPrefix = "province-approver:";
    public const string CountyPrefix = "county:";

    /// <summary>A provincial finance bureau: receives, acknowledges, disputes and passes down its notices.</summary>
    public static string Province(string code) => ProvincePrefix + code;

    /// <summary>A province's own reviewer or approver of its pass-down runs (central approvers cannot approve them).</summary>
    public static string ProvinceApprover(string code) => ProvinceApproverPrefix + code;

    /// <summary>A county-level finance bureau: reads and acknowledges its own notices.</summary>
    public static string County(string code) => CountyPrefix + code;

    public static bool IsKnown(string role) =>
        role is FinanceOfficer or Approver or Auditor
        || (role.StartsWith(ProvincePrefix, StringComparison.Ordinal) && Domain.Programs.ProvinceCodes.IsKnown(role[ProvincePrefix.Length..]))
        || (role.StartsWith(ProvinceApproverPrefix, StringComparison.Ordinal) && Domain.Programs.ProvinceCodes.IsKnown(role[ProvinceApproverPrefix.Length..]))
        || (role.StartsWith(CountyPrefix, StringComparison.Ordinal) && role.Length == CountyPrefix.Length + 6 && Domain.Programs.ProvinceCodes.IsRecipient(role[CountyPrefix.Length..]));
}
