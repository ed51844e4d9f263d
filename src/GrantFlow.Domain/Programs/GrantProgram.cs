namespace GrantFlow.Domain.Programs;

/// <summary>A central grant program with its budget classification codes.</summary>
/// <param name="Id">Stable program id used in run parameters, ledger keys and queue messages.</param>
/// <param name="NameEn">English name.</param>
/// <param name="NameZh">Chinese name as it appears on notices.</param>
/// <param name="IncomeClassificationCode">Government revenue classification code the province books the transfer under.</param>
/// <param name="ExpenditureClassificationCode">Government expenditure functional classification code of the spending.</param>
/// <param name="TransferKind">"general" (一般性转移支付, the shared-responsibility transfers included) or "special" (专项转移支付).</param>
/// <param name="Illustrative">True for the illustrative programs (invented envelopes and factors, for scale), false for the seeds' programs.</param>
public sealed record GrantProgram(
    string Id,
    string NameEn,
    string NameZh,
    string IncomeClassificationCode,
    string ExpenditureClassificationCode,
    string TransferKind = "general",
    bool Illustrative = false);

/// <summary>The programs GrantFlow releases: the three of the 2026 advance release (DOMAIN.md, seed 000), then the illustrative ones (<see cref="IllustrativePrograms"/>).</summary>
public static class GrantProgramCatalog
{
    public const string ResidentInsurance = "resident-insurance";
    public const string MedicalAssistance = "medical-assistance";
    public const string ServiceCapacity = "service-capacity";

    private static readonly Dictionary<string, GrantProgram> Seeded = new(StringComparer.Ordinal)
    {
        [ResidentInsurance] = new(
            ResidentInsurance,
            "Central subsidy for urban and rural residents' basic medical insurance",
            "城乡居民基本医疗保险补助",
            "1100249",
            "2101202"),
        [MedicalAssistance] = new(
            MedicalAssistance,
            "Medical assistance grant (urban and rural medical assistance)",
            "医疗救助补助资金（城乡医疗救助部分）",
            "1100249",
            "2101301"),
        [ServiceCapacity] = new(
            ServiceCapacity,
            "Grant to improve medical services and security capability (service capacity building)",
            "医疗服务与保障能力提升补助资金（医疗保障服务能力建设部分）",
            "1100310",
            "2101599"),
    };

    private static readonly Dictionary<string, GrantProgram> ById = Seeded.Values.Concat(IllustrativePrograms.All).ToDictionary(p => p.Id, StringComparer.Ordinal);

    /// <summary>Every program: the seeds' three first, then the illustrative ones.</summary>
    public static IReadOnlyCollection<GrantProgram> All { get; } = [.. Seeded.Values, .. IllustrativePrograms.All];

    /// <summary>The three programs of the 2026 seeds.</summary>
    public static IReadOnlyCollection<GrantProgram> Seeds => Seeded.Values;

    public static bool TryGet(string id, out GrantProgram program) => ById.TryGetValue(id, out program!);

    public static GrantProgram Get(string id) =>
        TryGet(id, out var program) ? program : throw new KeyNotFoundException($"Unknown program '{id}'.");
}
