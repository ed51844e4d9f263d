using Azure.Data.Tables;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Runs;

/// <summary>
/// What one runs listing may show and asks for, and where in the runs' index it is read: the narrowest partition the
/// filters name (the open runs for a status that is not an end state; a program-year, a program, a year, an owner;
/// a province caller's own provinces), the other filters and the caller's visibility as a filter on the index rows,
/// and the status checked on each run's record.
/// </summary>
internal sealed record RunListScope(
    bool All, bool Central, IReadOnlySet<string> Provinces,
    string? Program, int? Year, string? Kind, string? Status, string? Owner)
{
    /// <summary>The provinces whose bureau the caller is (<c>province:{code}</c>): they oversee their prefectures' pass-downs.</summary>
    public IReadOnlySet<string> Bureaus { get; init; } = new HashSet<string>();

    public IReadOnlyList<string> Partitions()
    {
        if (Status is not null && !RunStatuses.IsTerminal(Status))
        {
            return [RunIndex.OpenRuns];
        }

        if (Program is not null)
        {
            return [Year is { } y ? RunIndex.ProgramYear(Program, y) : RunIndex.Program(Program)];
        }

        if (Year is { } year)
        {
            return [RunIndex.Year(year)];
        }

        if (Owner is not null)
        {
            return [RunIndex.Owner(Owner)];
        }

        return Central ? [RunIndex.AllRuns] : [.. Provinces.Order(StringComparer.Ordinal).Select(RunIndex.Owner)];
    }

    public string? Filter()
    {
        var clauses = new List<string>();
        if (Kind is not null)
        {
            clauses.Add(TableClient.CreateQueryFilter($"Kind eq {Kind}"));
        }

        if (Program is not null)
        {
            clauses.Add(TableClient.CreateQueryFilter($"Program eq {Program}"));
        }

        if (Year is { } year)
        {
            clauses.Add(TableClient.CreateQueryFilter($"FiscalYear eq {year}"));
        }

        if (Owner is not null)
        {
            clauses.Add(TableClient.CreateQueryFilter($"Owner eq {Owner}"));
        }

        if (!All && Central)
        {
            clauses.Add(TableClient.CreateQueryFilter($"Kind ne {RunKinds.PassDown}"));
        }
        else if (!Central && !(Owner is not null && MaySee(Owner)))
        {
            clauses.Add("(" + string.Join(" or ", Provinces.Order(StringComparer.Ordinal).Select(p => TableClient.CreateQueryFilter($"Owner eq {p}"))) + ")");
        }

        return clauses.Count == 0 ? null : string.Join(" and ", clauses);
    }

    /// <summary>A payer caller sees its own pass-downs, and a province's bureau its prefectures' too (as it reads each of them).</summary>
    private bool MaySee(string owner) => Provinces.Contains(owner) || (owner.Length == 4 && Bureaus.Contains(owner[..2]));

    /// <summary>The record's own check: visibility and every filter again (the record is the truth; the status is only there).</summary>
    public bool Shows(RunRecord r) =>
        (All || (Central && r.Kind != RunKinds.PassDown) || (r.Kind == RunKinds.PassDown && r.Owner is { } o && MaySee(o)))
        && (Program is null || r.Program == Program) && (Year is null || r.FiscalYear == Year) && (Kind is null || r.Kind == Kind)
        && (Status is null || r.Status == Status) && (Owner is null || r.Owner == Owner);
}
