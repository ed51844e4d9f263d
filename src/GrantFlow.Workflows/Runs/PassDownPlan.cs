namespace GrantFlow.Workflows.Runs;

/// <summary>
/// What a pass-down run is started with, once its notice has been checked: the payer (a province or a prefecture),
/// the entry passed down (a central entry, or the province's entry to the prefecture) and the recipients' level.
/// </summary>
public sealed record PassDownPlan(
    string PayerCode,
    string NoticeNumber,
    string CentralEntry,
    long NoticeAmountYuan,
    long RetentionYuan,
    decimal RetentionShare,
    string ParametersJson,
    string RecipientsCsv,
    TimeSpan? ApprovalTimeout,
    Domain.Validation.RecipientLevel Recipients = Domain.Validation.RecipientLevel.County);
