using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using GrantFlow.Domain.Plans;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Workflows.Plans;

/// <summary>
/// Plan versions (table GrantFlowPlans: partition "{year}|{program}", row = version "000001", never updated): a year's
/// plans are one key range, a program-year's history one partition. A version is added only where none was: two
/// officers setting the same program-year at once cannot both win.
/// </summary>
public sealed class PlanRepository(GrantFlowTables storage)
{
    /// <summary>Adds the version; false when that version exists already (someone else set the plan meanwhile).</summary>
    public async Task<bool> TryAddAsync(ProgramYearPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await storage.EnsureCreatedAsync(cancellationToken);
        try
        {
            await storage.Plans.AddEntityAsync(ToEntity(plan), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>A program-year's versions, oldest first (empty without a plan).</summary>
    public async Task<IReadOnlyList<ProgramYearPlan>> VersionsAsync(string program, int fiscalYear, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(fiscalYear, program)}");
        return await ReadAsync(filter, cancellationToken);
    }

    /// <summary>The current plan of a program-year (its latest version), or null.</summary>
    public async Task<ProgramYearPlan?> CurrentAsync(string program, int fiscalYear, CancellationToken cancellationToken = default) =>
        await VersionsAsync(program, fiscalYear, cancellationToken) is { Count: > 0 } versions ? versions[^1] : null;

    /// <summary>The current plans of every program of a year (one key range).</summary>
    public async Task<IReadOnlyList<ProgramYearPlan>> CurrentOfYearAsync(int fiscalYear, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var from = YearPrefix(fiscalYear);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {from} and PartitionKey lt {from[..^1] + "}"}");
        var all = await ReadAsync(filter, cancellationToken);
        return [.. all.GroupBy(p => p.Program, StringComparer.Ordinal).Select(g => g.MaxBy(p => p.Version)!)];
    }

    /// <summary>Every version of a year's plans (or of every year's: the plans table holds a few rows a year).</summary>
    public async Task<IReadOnlyList<ProgramYearPlan>> AllVersionsAsync(int? fiscalYear, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        if (fiscalYear is not { } year)
        {
            return await ReadAsync(null, cancellationToken);
        }

        var from = YearPrefix(year);
        return await ReadAsync(TableClient.CreateQueryFilter($"PartitionKey ge {from} and PartitionKey lt {from[..^1] + "}"}"), cancellationToken);
    }

    private async Task<IReadOnlyList<ProgramYearPlan>> ReadAsync(string? filter, CancellationToken cancellationToken)
    {
        var list = new List<ProgramYearPlan>();
        await foreach (var row in storage.Plans.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            list.Add(JsonSerializer.Deserialize<ProgramYearPlan>(row.GetString("Document"), WorkflowJson.Options)!);
        }

        return [.. list.OrderBy(p => p.Program, StringComparer.Ordinal).ThenBy(p => p.Version)];
    }

    private static string YearPrefix(int fiscalYear) => fiscalYear.ToString(CultureInfo.InvariantCulture) + "|";

    private static string Partition(int fiscalYear, string program) => YearPrefix(fiscalYear) + program;

    private static TableEntity ToEntity(ProgramYearPlan p) => new(Partition(p.FiscalYear, p.Program), p.Version.ToString("D6", CultureInfo.InvariantCulture))
    {
        ["Document"] = JsonSerializer.Serialize(p, WorkflowJson.Options),
        [nameof(ProgramYearPlan.Program)] = p.Program,
        [nameof(ProgramYearPlan.FiscalYear)] = p.FiscalYear,
        [nameof(ProgramYearPlan.Version)] = p.Version,
        [nameof(ProgramYearPlan.ExpectedYuan)] = p.ExpectedYuan,
        [nameof(ProgramYearPlan.Hash)] = p.Hash,
    };
}
