using GrantFlow.Contracts;
using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Programs;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Console.Services;

/// <summary>
/// A refusal said in the user's language from its stable code and arguments (<see cref="ProblemCodes"/>,
/// <see cref="ErrorCodes"/>): Chinese sentences on a Chinese page, the API's own English otherwise. A code this
/// console does not know is said by its kind (the status), never in English on a Chinese page.
/// </summary>
public sealed class ProblemTexts(Texts t)
{
    public string Title(ProblemBody problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return !t.IsChinese ? problem.Title : (problem.Code ?? ProblemCodes.ForStatus(problem.Status)) switch
        {
            ProblemCodes.InvalidInput => "输入有误",
            ProblemCodes.Unauthenticated => "未登录或登录已失效",
            ProblemCodes.Forbidden or ProblemCodes.NoRole or ProblemCodes.SegregationOfDuties => "无权执行此操作",
            var c when c.StartsWith("not-found", StringComparison.Ordinal) => "未找到",
            var c when c.StartsWith("conflict", StringComparison.Ordinal) => "与当前状态冲突",
            ProblemCodes.BodyTooLarge or ProblemCodes.UnsupportedMediaType => "提交内容有误",
            ProblemCodes.InfeasibleFloors => "无法按要求测算",
            ProblemCodes.StorageUnavailable => "存储暂时不可用",
            _ => problem.Status == 0 ? "接口无响应" : "请求失败",
        };
    }

    public string Detail(ProblemBody problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (!t.IsChinese)
        {
            return problem.Detail;
        }

        var a = problem.Args ?? new Dictionary<string, string>();
        string A(string name) => a.GetValueOrDefault(name) ?? string.Empty;
        return (problem.Code ?? ProblemCodes.ForStatus(problem.Status)) switch
        {
            ProblemCodes.InvalidInput => $"共 {A("count")} 处错误，未写入任何数据。",
            ProblemCodes.Unauthenticated => "请重新登录。",
            ProblemCodes.Forbidden => "当前用户没有执行此操作所需的角色。",
            ProblemCodes.NoRole => "当前用户没有 GrantFlow 角色。",
            ProblemCodes.SegregationOfDuties => "职责分离：发起或复核本批次的人员不能办理此环节。",
            ProblemCodes.RunNotFound => $"批次 {Short(A("run"))} 不存在。",
            ProblemCodes.NoticeNotFound => $"{t.Recipient(A("recipient"))}没有文号为 {A("notice")} 的通知。",
            ProblemCodes.DisputeNotFound => $"通知 {A("notice")} 没有异议。",
            ProblemCodes.AlreadyReleased => $"{t.Program(A("program"))} {A("year")} 年度{t.Kind(A("kind"))}已下达或正在下达（批次 {Short(A("run"))}），每个项目每年只下达一次。被驳回、超时或失败的批次不占名额；如需调整某省金额，请发起更正。",
            ProblemCodes.PlanChanged => $"{t.Program(A("program"))} {A("year")} 年度预计数已被他人修改（已有第 {A("version")} 版），请刷新后再定。",
            ProblemCodes.PlanBelowReleased => $"{t.Program(A("program"))} {A("year")} 年度已下达 {Yuan(A("released"))} 元，全年预计数不能调低到 {Yuan(A("expected"))} 元。",
            ProblemCodes.NoAdvance => $"{t.Program(A("program"))} {A("year")} 年度尚无已完成的提前下达。",
            ProblemCodes.YearSettled => $"{t.Program(A("program"))} {A("year")} 年度已清算或正在清算（批次 {Short(A("run"))}），清算后不再更正，每年只清算一次。",
            ProblemCodes.CorrectionOpen => $"{t.Program(A("program"))} {A("year")} 年度有尚未结束的更正（批次 {Short(A("run"))}），请待其结束后再清算。",
            ProblemCodes.EntryCorrected => $"批次 {Short(A("run"))} 中{t.Recipient(A("province"))}的记录已更正或正在更正（批次 {Short(A("holder"))}）。",
            ProblemCodes.NotCorrectable => $"批次 {Short(A("run"))} 为{t.Kind(A("kind"))}（{t.Status(A("status"))}），只有已完成的提前下达和余额下达可以更正。",
            ProblemCodes.PassedDownAlready => $"通知 {A("notice")} 已分解或正在分解（批次 {Short(A("run"))}），每份通知只分解一次。",
            ProblemCodes.NotAcknowledged => $"通知 {A("notice")} 尚未签收，请先签收再分解下达。",
            ProblemCodes.UnderDispute => $"通知 {A("notice")} 的异议尚未处理，处理后方可分解下达。",
            ProblemCodes.NotPassedDownKind => $"通知 {A("notice")} 为{t.Kind(A("kind"))}通知，不能分解下达或提出异议。",
            ProblemCodes.DisputedAlready => $"通知 {A("notice")} 已提出过异议，每份通知只能提出一次。",
            ProblemCodes.DisputeWindowClosed => $"通知 {A("notice")} 的异议期（{A("days")} 日）已过。",
            ProblemCodes.DisputeAnswered => $"通知 {A("notice")} 的异议已处理（{t.DisputeStatus(A("status"))}）。",
            ProblemCodes.NotAwaitingDecision => $"本批次当前不在{t.Stage(A("stage"))}环节（{t.Status(A("status"))}）。",
            ProblemCodes.LedgerNotIntact => "台账校验未通过，请先核验台账。",
            ProblemCodes.BodyTooLarge => $"提交内容超过 {A("limit")} 字节的上限，未写入任何数据。",
            ProblemCodes.UnsupportedMediaType => "提交内容须为 UTF-8 编码的 JSON。",
            ProblemCodes.InfeasibleFloors => "保底要求无法在资金总额内满足。",
            ProblemCodes.StorageUnavailable => $"存储未能及时响应，未写入任何数据，请 {A("retryAfter")} 秒后重试。",
            ProblemCodes.Conflict => "与当前状态冲突，请刷新后再试。",
            ProblemCodes.NotFound => "请求的内容不存在。",
            _ => problem.Status == 0 ? "请检查网络后重试。" : "请求失败，已记录，请稍后重试。",
        };
    }

    /// <summary>What is wrong with one field, without the field and row (the page shows those beside it).</summary>
    public string Error(string? code, IReadOnlyDictionary<string, string>? args, string message)
    {
        if (!t.IsChinese)
        {
            return message;
        }

        var a = args ?? new Dictionary<string, string>();
        string A(string name) => a.GetValueOrDefault(name) ?? string.Empty;
        return code switch
        {
            ErrorCodes.FileEmpty => "文件为空：应有表头行和每个地区一行数据。",
            ErrorCodes.FileNoRows => "文件只有表头，没有数据行。",
            ErrorCodes.FileHeader => "表头列数过多或列名过长。",
            ErrorCodes.FileEncoding => "文件既不是有效的 UTF-8 也不是有效的 GB18030 编码；请在 Excel 中另存为“CSV UTF-8”。",
            ErrorCodes.FileTooLarge => a.ContainsKey("rows") ? $"行数超过 {A("limit")} 行的上限。" : a.ContainsKey("columns") ? $"列数超过 {A("limit")} 列的上限。" : $"超过 {A("limit")} 字节的上限。",
            ErrorCodes.RowFieldCount => $"应有 {A("expected")} 个字段，实有 {A("found")} 个。",
            ErrorCodes.TooManyErrors => $"错误超过 {A("limit")} 处，已停止读取。",
            ErrorCodes.ColumnMissing => $"缺少“{Column(A("column"))}”列" + (A("usedBy") switch { "floor" => "（保底计算需要）", "formula" => "（测算公式需要）", _ => string.Empty }) + "。",
            ErrorCodes.ColumnDuplicate => $"“{Column(A("column"))}”列出现 {A("count")} 次。",
            ErrorCodes.ColumnUnknown => $"未知的列“{A("column")}”。",
            ErrorCodes.ColumnAllZero => $"各地“{Column(A("column"))}”均为 0，无法按此因素分配。",
            ErrorCodes.Required => "此项必填。",
            ErrorCodes.NotAWorkbook => "无法读取该 Excel 工作簿（.xlsx）；请在 Excel 中另存为“Excel 工作簿”后重试，或另存为 CSV。",
            ErrorCodes.WrongEncoding => "含有乱码（U+FFFD），文件编码有误；请在 Excel 中另存为“CSV UTF-8”。",
            ErrorCodes.TooLong => a.ContainsKey("length") ? $"长度 {A("length")}，超过上限 {A("limit")}。" : $"超过上限 {A("limit")}。",
            ErrorCodes.NotANumber => $"“{A("value")}”不是数字。",
            ErrorCodes.Negative => $"“{A("value")}”为负数，取值须大于或等于 0。",
            ErrorCodes.OutOfRange => a.ContainsKey("value") ? $"“{A("value")}”超出允许范围（{A("min")} 至 {A("max")}）。" : a.ContainsKey("min") ? $"须在 {A("min")} 至 {A("max")} 之间。" : "超出允许范围（截止日期须晚于起始日期）。",
            ErrorCodes.NotOneOf => $"“{A("value")}”不是可选值（{A("allowed").Replace(",", "、", StringComparison.Ordinal)}）。",
            ErrorCodes.NotADate => $"“{A("value")}”不是有效日期。",
            ErrorCodes.NotAMonth => "应为“年-月”格式，如 2026-12。",
            ErrorCodes.UnknownProvince => $"“{A("value")}”不是 31 个省级行政区划之一。",
            ErrorCodes.UnknownCounty => $"“{A("value")}”不是有效的 6 位县级行政区划代码。",
            ErrorCodes.CountyOfAnotherProvince => $"代码 {A("value")} 不是{t.Recipient(A("province"))}的下级地区。",
            ErrorCodes.UnknownPrefecture => $"“{A("value")}”不是有效的 4 位地市级行政区划代码（其下各县代码的前四位）。",
            ErrorCodes.DuplicateCode => $"代码 {A("value")} 重复（首次出现在第 {A("firstLine")} 行）。",
            ErrorCodes.NotARunId => $"“{A("value")}”不是有效的批次编号。",
            ErrorCodes.NotANoticeNumber => $"“{A("value")}”不是有效的通知文号。",
            ErrorCodes.UnknownRun => $"批次 {Short(A("value"))} 不存在。",
            ErrorCodes.StaleContinuation => "翻页标记已失效，请从第一页重新查询。",
            ErrorCodes.UnknownProgram => $"未知项目“{A("value")}”。",
            ErrorCodes.EnvelopeNotPositive => "资金总额须大于 0 元。",
            ErrorCodes.EnvelopeTooLarge => $"{Yuan(A("value"))} 元超过上限 {Yuan(A("limit"))} 元。",
            ErrorCodes.FormulaKindUnknown => $"未知的测算方法“{A("value")}”。",
            ErrorCodes.StandardRequired => "按人头测算须填写大于 0 的补助标准。",
            ErrorCodes.StandardNotTaken => "因素法测算不使用补助标准。",
            ErrorCodes.WeightsNotTaken => "按人头测算不使用因素权重。",
            ErrorCodes.WeightsRequired => "因素法测算至少需要一个因素。",
            ErrorCodes.WeightsTooMany => $"因素 {A("count")} 个，多于可用的 {A("limit")} 个数据列。",
            ErrorCodes.WeightNotPositive => $"权重须大于 0，实为 {A("value")}。",
            ErrorCodes.WeightsSum => $"各因素权重之和须恰为 1，现为 {A("sum")}。",
            ErrorCodes.AllWeightsZero => "各地因素值均为 0，无法按因素分配。",
            ErrorCodes.FloorRatio => $"保底比例须大于 0 且不超过 1，现为 {A("value")}。",
            ErrorCodes.FloorInfeasible => "保底要求无法在资金总额内满足。",
            ErrorCodes.ShareOutOfRange => $"{A("value")} 超出 {A("min")} 至 {A("max")} 的范围。",
            ErrorCodes.FormulaVersionChanged => $"清算须沿用提前下达所用的测算公式（{A("advance")}）。",
            ErrorCodes.NothingToCorrect => $"{t.Recipient(A("province"))}已为 {Yuan(A("amount"))} 元，无需更正。",
            ErrorCodes.NoEntryForProvince => $"批次 {Short(A("run"))} 中没有{t.Recipient(A("province"))}的记录。",
            ErrorCodes.CorrectionTooLarge => $"{Yuan(A("value"))} 元超过该批次资金总额 {Yuan(A("limit"))} 元。",
            ErrorCodes.AdvanceBelowMinimum => $"提前下达 {Yuan(A("advance"))} 元，占全年预计数 {Yuan(A("expected"))} 元的 {A("percent")}，低于{t.TransferKind(A("kind"))}不低于 {A("minimumPercent")}% 的要求（{Yuan(A("minimum"))} 元）；请提高资金总额，或填写例外理由报审批。",
            ErrorCodes.AdvanceAboveExpected => $"提前下达 {Yuan(A("advance"))} 元，超过全年预计数 {Yuan(A("expected"))} 元。",
            ErrorCodes.RemainderAboveExpected => $"后续下达 {Yuan(A("value"))} 元将超过全年预计数 {Yuan(A("expected"))} 元（已下达 {Yuan(A("released"))} 元，至多还可下达 {Yuan(A("room"))} 元）。",
            ErrorCodes.ExceptionWithoutNeed => a.ContainsKey("percent") ? $"提前下达比例为 {A("percent")}，不低于 {A("minimumPercent")}% 的下限，无需例外理由。" : "此处无需例外理由（仅低于下限的提前下达需要，且须先设定全年预计数）。",
            _ => "取值无效。",
        };
    }

    public string Error(ProblemError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Error(error.Code, error.Args, error.Message);
    }

    public string Error(ValidationError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Error(error.Code, error.Args, error.Message);
    }

    /// <summary>A field or column as people read it (资金总额, 城乡居民参保人数).</summary>
    public string Field(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.StartsWith("formula.weights.", StringComparison.Ordinal))
        {
            return t["weight · ", "权重 · "] + Column(field["formula.weights.".Length..]);
        }

        return field switch
        {
            "envelopeYuan" => t["envelope", "资金总额"],
            "fiscalYear" => t["fiscal year", "年度"],
            "program" => t["program", "项目"],
            "formula" or "formula.kind" => t["formula", "测算方法"],
            "formula.standardYuan" => t["standard (yuan)", "补助标准（元）"],
            "formula.weights" => t["weights", "因素权重"],
            "floor" => t["floor", "保底"],
            "floor.ratio" => t["floor ratio", "保底比例"],
            "floor.basis" => t["floor basis", "保底基数"],
            "provinces" or "provincesCsv" or "provincesXlsx" or "countiesCsv" => t["data file", "数据文件"],
            "province" or "provinceCode" or "code" => t["province", "省份"],
            "reason" => t["reason", "理由"],
            "expectedYuan" => t["expected amount", "全年预计数"],
            "transferKind" => t["kind of transfer", "转移支付类别"],
            "advanceException" => t["exception reason", "例外理由"],
            "amountYuan" => t["amount", "金额"],
            "noticeNumber" => t["notice number", "文号"],
            "runId" or "correctsRunId" or "run" => t["run", "批次"],
            "kind" => t["kind", "类型"],
            "from" => t["from", "起始日期"],
            "to" => t["to", "截止日期"],
            "month" => t["month", "月份"],
            "retentionShare" => t["retention share", "本级留用比例"],
            "decision" => t["decision", "意见"],
            "stage" => t["stage", "环节"],
            "approvalTimeout" => t["approval timeout", "审批时限"],
            "figures" => t["figures", "异议数据"],
            "attachment" => t["attachment", "附件"],
            "body" or "parameters" or "params" => t["request", "提交内容"],
            _ => Column(field),
        };
    }

    private string Column(string column) => ProvinceColumns.Label(column, t.IsChinese);

    private static string Short(string run) => run.Length > 8 ? run[..8] : run;

    private static string Yuan(string value) => long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var yuan) ? Money.Yuan(yuan) : value;
}
