using System.Globalization;
using GrantFlow.Domain.Allocation;
using GrantFlow.Contracts;

namespace GrantFlow.Console.Services;

/// <summary>Where the prior-year amounts beside an allocation come from.</summary>
public enum PriorYearSource
{
    None,

    /// <summary>GrantFlow's own completed advance (and remainder) runs of the program in the prior fiscal year.</summary>
    PriorRuns,

    /// <summary>The data's <c>prior_year_resident_subsidy_yuan</c> column (the resident insurance subsidy of last year).</summary>
    DataColumn,
}

/// <summary>
/// The prior year's allocation of a program, by recipient: from the prior fiscal year's completed runs when GrantFlow
/// released it, otherwise (resident insurance) from the data's prior-year subsidy column.
/// </summary>
public sealed class PriorYearAmounts(ApiClient api)
{
    public const string PriorYearColumn = "prior_year_resident_subsidy_yuan";

    private readonly Dictionary<string, IReadOnlyDictionary<string, long>> _fromRuns = new(StringComparer.Ordinal);

    public async Task<(IReadOnlyDictionary<string, long> Amounts, PriorYearSource Source)> ForAsync(string program, int fiscalYear, IEnumerable<(string Code, IReadOnlyDictionary<string, decimal> Values)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var released = await FromRunsAsync(program, fiscalYear - 1);
        if (released.Count > 0)
        {
            return (released, PriorYearSource.PriorRuns);
        }

        var column = rows
            .Where(r => r.Values.ContainsKey(PriorYearColumn) && program == "resident-insurance")
            .ToDictionary(r => r.Code, r => (long)decimal.Round(r.Values[PriorYearColumn]), StringComparer.Ordinal);
        return column.Count > 0 ? (column, PriorYearSource.DataColumn) : (new Dictionary<string, long>(), PriorYearSource.None);
    }

    private async Task<IReadOnlyDictionary<string, long>> FromRunsAsync(string program, int fiscalYear)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"{program}/{fiscalYear}");
        if (_fromRuns.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (var kind in new[] { RunKinds.Advance, RunKinds.Remainder })
            {
                var page = await api.GetAsync<RunPage>(ApiRoutes.Fill(ApiRoutes.Runs) + string.Create(CultureInfo.InvariantCulture, $"?program={program}&fiscalYear={fiscalYear}&kind={kind}&status={RunStatuses.Completed}&pageSize=10"));
                foreach (var run in page.Runs)
                {
                    var detail = await api.GetAsync<RunDetail>(ApiRoutes.Fill(ApiRoutes.Run, ("runId", run.RunId)));
                    foreach (var line in detail.Allocations)
                    {
                        sums[line.Code] = sums.GetValueOrDefault(line.Code) + line.AmountYuan;
                    }
                }
            }
        }
        catch (ApiProblemException)
        {
            // A caller who may not read runs compares with the data column only.
        }

        return _fromRuns[key] = sums;
    }

    /// <summary>Where the prior-year column comes from, as the page says it.</summary>
    public static string Describe(PriorYearSource source, Texts T)
    {
        ArgumentNullException.ThrowIfNull(T);
        return source switch
        {
            PriorYearSource.PriorRuns => T["prior year: GrantFlow's completed runs of the prior year", "上年数：系统内上年已完成批次"],
            PriorYearSource.DataColumn => T["prior year: the data's prior_year_resident_subsidy_yuan", "上年数：基础数据 prior_year_resident_subsidy_yuan 列"],
            _ => T["no prior-year figures for this program", "该项目无上年数"],
        };
    }

    public static IReadOnlyList<ReviewLine> Flags(IEnumerable<ProvinceAllocation> allocations, IReadOnlyDictionary<string, long> prior, decimal threshold) =>
        ReviewFlags.Compute([.. allocations.Select(a => (a.Code, a.AmountYuan, a.Explanation.FloorBound))], prior, threshold);
}
