using GrantFlow.Contracts;
using GrantFlow.Domain.Programs;
namespace GrantFlow.Console.Services;

/// <summary>
/// The console's two languages: Chinese first (zh-CN), English switchable. Each text is written once at its use as
/// <c>T["English", "中文"]</c>, so a page reads in both and no key can go missing.
/// </summary>
public sealed class Texts
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    public string Language { get; private set; } = Chinese;

    public bool IsChinese => Language == Chinese;

    public event Action? Changed;

    public string this[string english, string chinese] => IsChinese ? chinese : english;

    public void Use(string language)
    {
        var next = language == English ? English : Chinese;
        if (next != Language)
        {
            Language = next;
            Changed?.Invoke();
        }
    }

    /// <summary>A province's or county's name in the current language.</summary>
    public string Name(string nameEn, string nameZh) => IsChinese ? nameZh : nameEn;

    /// <summary>
    /// A recipient as people read it: a province by its name (广东), a prefecture or a county by its province's name
    /// and its code (广东 4401, 广东 440103; their names come with the data of a pass-down, not with every answer).
    /// </summary>
    public string Recipient(string? code) => code switch
    {
        { Length: 2 } when ProvinceNames.Chinese(code) is { } zh => IsChinese ? zh : ProvinceNames.English(code)!,
        { Length: 4 or 6 } when ProvinceNames.Chinese(code[..2]) is { } zh => $"{(IsChinese ? zh : ProvinceNames.English(code[..2]))} {code}",
        _ => code ?? string.Empty,
    };

    /// <summary>A role as people read it: 财政部业务处室, 广东省级财政部门 (the code stays in the role itself).</summary>
    public string Role(string role)
    {
        ArgumentNullException.ThrowIfNull(role);
        var (kind, code) = role.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? (role[..colon], role[(colon + 1)..]) : (role, string.Empty);
        return kind switch
        {
            GrantFlowRoles.FinanceOfficer => this["finance officer (MoF)", "财政部业务处室"],
            GrantFlowRoles.Approver => this["approver (MoF)", "财政部审批人"],
            GrantFlowRoles.Auditor => this["auditor", "审计人员"],
            "province" => this[$"{Recipient(code)} finance department", $"{Recipient(code)}省级财政部门"],
            "province-approver" => this[$"{Recipient(code)} approver", $"{Recipient(code)}省级审批人"],
            "prefecture" => this[$"prefecture {Recipient(code)}", $"市级财政部门 {Recipient(code)}"],
            "prefecture-approver" => this[$"prefecture {Recipient(code)} approver", $"市级审批人 {Recipient(code)}"],
            "county" => this[$"county {Recipient(code)}", $"县级财政部门 {Recipient(code)}"],
            _ => role,
        };
    }

    public string DisputeStatus(string status) => status switch
    {
        DisputeStatuses.Open => this["open", "待处理"],
        DisputeStatuses.Upholding => this["being upheld", "采纳中"],
        DisputeStatuses.Rejected => this["rejected", "不予采纳"],
        DisputeStatuses.Upheld => this["upheld", "已采纳"],
        _ => status,
    };

    public string DisputeStep(string step) => step switch
    {
        DisputeSteps.Opened => this["disputed", "提出异议"],
        DisputeSteps.Rejected => this["rejected", "不予采纳"],
        DisputeSteps.Upheld => this["upheld", "采纳"],
        DisputeSteps.CorrectionStarted => this["correction started", "发起更正"],
        DisputeSteps.UpholdRefused => this["correction refused", "更正未能发起"],
        _ => step,
    };

    public string Program(string program) => program switch
    {
        "resident-insurance" => this["Resident medical insurance subsidy", "城乡居民基本医疗保险补助"],
        "medical-assistance" => this["Medical assistance subsidy", "医疗救助补助资金"],
        "service-capacity" => this["Medical service capacity subsidy", "医疗服务与保障能力提升补助资金"],
        _ when GrantFlow.Domain.Programs.GrantProgramCatalog.TryGet(program, out var known) => this[known.NameEn, known.NameZh],
        _ => program,
    };

    /// <summary>The kind of transfer: general (一般性转移支付) or special (专项转移支付).</summary>
    public string TransferKind(string? kind) => kind switch
    {
        "general" => this["general transfer", "一般性转移支付"],
        "special" => this["special transfer", "专项转移支付"],
        null => "—",
        _ => kind,
    };

    public string Status(string status) => status switch
    {
        RunStatuses.Started => this["started", "已发起"],
        RunStatuses.Computing => this["computing", "测算中"],
        RunStatuses.AwaitingReview => this["awaiting review", "待复核"],
        RunStatuses.AwaitingApproval => this["awaiting approval", "待审批"],
        RunStatuses.WritingLedger => this["writing the ledger", "记账中"],
        RunStatuses.SendingNotices => this["sending notices", "下达通知中"],
        RunStatuses.Completed => this["completed", "已完成"],
        RunStatuses.Rejected => this["rejected", "已驳回"],
        RunStatuses.Expired => this["expired", "已超时"],
        RunStatuses.Failed => this["failed", "失败"],
        _ => status,
    };

    /// <summary>A run's or an entry's kind: the domain's Chinese name (<see cref="GrantFlow.Domain.Ledger.KindNames"/>), or in English.</summary>
    public string Kind(string kind) => IsChinese ? GrantFlow.Domain.Ledger.KindNames.Chinese(kind) : kind switch
    {
        GrantFlow.Domain.Ledger.LedgerEntryKinds.SettlementTopUp => "settlement top-up",
        GrantFlow.Domain.Ledger.LedgerEntryKinds.SettlementRecovery => "settlement recovery",
        _ => kind,
    };

    public string Stage(string stage) => stage switch
    {
        "review" => this["review", "复核"],
        "approval" => this["approval", "审批"],
        _ => stage,
    };
}
