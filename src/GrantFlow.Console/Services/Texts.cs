using GrantFlow.Contracts;
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

    public string Program(string program) => program switch
    {
        "resident-insurance" => this["Resident medical insurance subsidy", "城乡居民基本医疗保险补助"],
        "medical-assistance" => this["Medical assistance subsidy", "医疗救助补助资金"],
        "service-capacity" => this["Medical service capacity subsidy", "医疗服务与保障能力提升补助资金"],
        _ => program,
    };

    public string Status(string status) => status switch
    {
        "started" => this["started", "已发起"],
        "computing" => this["computing", "测算中"],
        RunStatuses.AwaitingReview => this["awaiting review", "待复核"],
        RunStatuses.AwaitingApproval => this["awaiting approval", "待审批"],
        "writing-ledger" => this["writing the ledger", "记账中"],
        "sending-notices" => this["sending notices", "下达通知中"],
        RunStatuses.Completed => this["completed", "已完成"],
        RunStatuses.Rejected => this["rejected", "已驳回"],
        RunStatuses.Expired => this["expired", "已超时"],
        RunStatuses.Failed => this["failed", "失败"],
        _ => status,
    };

    public string Kind(string kind) => kind switch
    {
        RunKinds.Advance => this["advance", "提前下达"],
        RunKinds.Remainder => this["remainder", "余额下达"],
        RunKinds.Settlement => this["settlement", "清算"],
        RunKinds.Correction => this["correction", "更正"],
        RunKinds.PassDown => this["pass-down", "分解下达"],
        "retention" => this["retention", "省级留用"],
        "top-up" => this["top-up", "清算补拨"],
        "recovery" => this["recovery", "清算收回"],
        _ => kind,
    };

    public string Stage(string stage) => stage switch
    {
        "review" => this["review", "复核"],
        "approval" => this["approval", "审批"],
        _ => stage,
    };
}
