namespace GrantFlow.Workflows.Runs;

/// <summary>What a pass-down run is started with, once its notice has been checked.</summary>
public sealed record PassDownPlan(
    string ProvinceCode,
    string NoticeNumber,
    string CentralEntry,
    long NoticeAmountYuan,
    long RetentionYuan,
    decimal RetentionShare,
    string ParametersJson,
    string CountiesCsv,
    TimeSpan? ApprovalTimeout);
