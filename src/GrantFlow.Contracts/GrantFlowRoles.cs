namespace GrantFlow.Contracts;

/// <summary>The roles GrantFlow knows. Province roles are <c>province:{code}</c>.</summary>
public static class GrantFlowRoles
{
    public const string FinanceOfficer = "finance-officer";
    public const string Approver = "approver";
    public const string Auditor = "auditor";
    public const string ProvincePrefix = "province:";
    public const string ProvinceApproverPrefix = "province-approver:";
    public const string PrefecturePrefix = "prefecture:";
    public const string PrefectureApproverPrefix = "prefecture-approver:";
    public const string CountyPrefix = "county:";

    /// <summary>A provincial finance bureau: receives, acknowledges, disputes and passes down its notices.</summary>
    public static string Province(string code) => ProvincePrefix + code;

    /// <summary>A province's own reviewer or approver of its pass-down runs (central approvers cannot approve them).</summary>
    public static string ProvinceApprover(string code) => ProvinceApproverPrefix + code;

    /// <summary>A prefecture-level finance bureau (市财政局): receives, acknowledges and passes down its notices to its counties.</summary>
    public static string Prefecture(string code) => PrefecturePrefix + code;

    /// <summary>A prefecture's own reviewer or approver of its pass-down runs (the province's approvers cannot approve them).</summary>
    public static string PrefectureApprover(string code) => PrefectureApproverPrefix + code;

    /// <summary>The bureau that passes money down: a province (2 digits) or a prefecture (4 digits).</summary>
    public static string Payer(string code) => code.Length == 4 ? Prefecture(code) : Province(code);

    /// <summary>The reviewers and approvers of a payer's pass-downs: the province's or the prefecture's own.</summary>
    public static string PayerApprover(string code) => code.Length == 4 ? PrefectureApprover(code) : ProvinceApprover(code);

    /// <summary>A county-level finance bureau: reads and acknowledges its own notices.</summary>
    public static string County(string code) => CountyPrefix + code;

    public static bool IsKnown(string role) =>
        role is FinanceOfficer or Approver or Auditor
        || (role.StartsWith(ProvincePrefix, StringComparison.Ordinal) && Domain.Programs.ProvinceCodes.IsKnown(role[ProvincePrefix.Length..]))
        || (role.StartsWith(ProvinceApproverPrefix, StringComparison.Ordinal) && Domain.Programs.ProvinceCodes.IsKnown(role[ProvinceApproverPrefix.Length..]))
        || (role.StartsWith(PrefecturePrefix, StringComparison.Ordinal) && Domain.Programs.ProvinceCodes.IsPrefecture(role[PrefecturePrefix.Length..]))
        || (role.StartsWith(PrefectureApproverPrefix, StringComparison.Ordinal) && Domain.Programs.ProvinceCodes.IsPrefecture(role[PrefectureApproverPrefix.Length..]))
        || (role.StartsWith(CountyPrefix, StringComparison.Ordinal) && Domain.Programs.ProvinceCodes.IsCounty(role[CountyPrefix.Length..]));
}
