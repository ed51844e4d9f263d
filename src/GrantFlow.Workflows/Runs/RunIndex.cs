using System.Globalization;
using Azure;
using Azure.Data.Tables;
using GrantFlow.Contracts;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Workflows.Runs;

/// <summary>
/// The runs' index (table GrantFlowRunIndex): partitions by which runs are listed, guarded and recovered without
/// reading the runs table. Each run is filed, before its record is stored, under every partition it belongs to - all
/// runs, its fiscal year, its program, its program and year, its owner (a pass-down's province) and, while it is not
/// in an end state, the open runs - with the row key "{inverted start time}|{run id}", so a partition reads newest
/// first and a page resumes after the last key it gave (keyset paging; the cost of a page is its size, not the
/// history). Rows carry only what never changes (kind, program, year, owner); a run's status is read from its record
/// by key. A row without a record (a start that failed between the two writes) is skipped by readers and removed by
/// the recovery sweep; so is an open row whose run has ended.
/// </summary>
public sealed class RunIndex(GrantFlowTables storage)
{
    public const string AllRuns = "all";
    public const string OpenRuns = "open";

    /// <summary>Claims taken for runs whose record may not be stored yet (the sweep frees those of runs that never came to exist).</summary>
    public const string PendingClaims = "claims";

    public static string Year(int fiscalYear) => string.Create(CultureInfo.InvariantCulture, $"year|{fiscalYear}");

    public static string Program(string program) => $"program|{program}";

    public static string ProgramYear(string program, int fiscalYear) => string.Create(CultureInfo.InvariantCulture, $"program-year|{program}|{fiscalYear}");

    public static string Owner(string owner) => $"owner|{owner}";

    /// <summary>Newest first, then by run id: the inverted start time in 19 digits, then the run id.</summary>
    public static string Key(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.MaxValue.UtcTicks - run.StartedAt.UtcTicks:D19}|{run.RunId}");
    }

    /// <summary>When the run of an index key was started.</summary>
    public static DateTimeOffset StartedAt(string key) =>
        new(DateTimeOffset.MaxValue.UtcTicks - long.Parse(key.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero);

    /// <summary>Whether a text is a key this index writes (a continuation must be one).</summary>
    public static bool IsKey(string key) =>
        key.Length == 19 + 1 + 32 && key[19] == '|' && key.AsSpan(0, 19).IndexOfAnyExceptInRange('0', '9') < 0 && Domain.Validation.Identifiers.IsRunId(key[20..]);

    public static IEnumerable<string> PartitionsOf(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        yield return AllRuns;
        yield return Year(run.FiscalYear);
        if (run.Program is { } program)
        {
            yield return Program(program);
            yield return ProgramYear(program, run.FiscalYear);
        }

        if (run.Owner is { } owner)
        {
            yield return Owner(owner);
        }

        if (!RunStatuses.IsTerminal(run.Status))
        {
            yield return OpenRuns;
        }
    }

    public static TableEntity Row(string partition, RunRecord run) => new(partition, Key(run))
    {
        ["RunId"] = run.RunId,
        ["Kind"] = run.Kind,
        ["Program"] = run.Program,
        ["FiscalYear"] = run.FiscalYear,
        ["Owner"] = run.Owner,
    };

    /// <summary>Files a run under its partitions (an upsert each: a retry writes the same rows again).</summary>
    public async Task AddAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        await Task.WhenAll(PartitionsOf(run).Select(p => storage.RunIndex.UpsertEntityAsync(Row(p, run), TableUpdateMode.Replace, cancellationToken)));
    }

    /// <summary>Takes an ended run out of the open runs (nothing when it is not there).</summary>
    public async Task CloseAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        try
        {
            await storage.RunIndex.DeleteEntityAsync(OpenRuns, Key(run), ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // closed already
        }
    }

    public async Task RemoveAsync(string partition, string key, CancellationToken cancellationToken = default)
    {
        try
        {
            await storage.RunIndex.DeleteEntityAsync(partition, key, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // removed already
        }
    }

    /// <summary>
    /// The first <paramref name="take"/> rows after <paramref name="after"/> (null: from the start) of one partition
    /// matching <paramref name="filter"/> (an OData clause on the rows' kind, program, year or owner, or null), in key
    /// order, following the table's own continuations until it has them or the partition ends.
    /// </summary>
    public async Task<(IReadOnlyList<TableEntity> Rows, bool Ended)> TakeAsync(string partition, string? after, string? filter, int take, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var clauses = new List<string> { TableClient.CreateQueryFilter($"PartitionKey eq {partition}") };
        if (after is not null)
        {
            clauses.Add(TableClient.CreateQueryFilter($"RowKey gt {after}"));
        }

        if (filter is not null)
        {
            clauses.Add(filter);
        }

        var rows = new List<TableEntity>(Math.Min(take, 1000));
        await foreach (var page in storage.RunIndex.QueryAsync<TableEntity>(string.Join(" and ", clauses), Math.Min(take, 1000), ["RowKey", "RunId", "Kind", "Owner"], cancellationToken).AsPages())
        {
            var used = Math.Min(take - rows.Count, page.Values.Count);
            rows.AddRange(page.Values.Take(used));
            if (rows.Count >= take)
            {
                return (rows, page.ContinuationToken is null && used == page.Values.Count);
            }
        }

        return (rows, true);
    }

    /// <summary>Every row of one partition matching the filter (for partitions bounded by what is open or by one program-year).</summary>
    public async Task<IReadOnlyList<TableEntity>> ReadAllAsync(string partition, string? filter, CancellationToken cancellationToken = default) =>
        (await TakeAsync(partition, null, filter, int.MaxValue, cancellationToken)).Rows;

    /// <summary>Marks a claim as taken for a run whose record may not exist yet (row key: claim and run).</summary>
    public async Task MarkClaimAsync(string claim, string runId, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        await storage.RunIndex.UpsertEntityAsync(new TableEntity(PendingClaims, $"{claim}|{runId}") { ["Claim"] = claim, ["RunId"] = runId, ["TakenAt"] = DateTimeOffset.UtcNow }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<(string Claim, string RunId, DateTimeOffset Since, string Key)>> PendingClaimsAsync(CancellationToken cancellationToken = default) =>
        [.. (await ReadAllClaimsAsync(cancellationToken))];

    private async Task<List<(string, string, DateTimeOffset, string)>> ReadAllClaimsAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var claims = new List<(string, string, DateTimeOffset, string)>();
        await foreach (var row in storage.RunIndex.QueryAsync<TableEntity>(e => e.PartitionKey == PendingClaims, cancellationToken: cancellationToken))
        {
            if (row.GetString("Claim") is { } claim && row.GetString("RunId") is { } runId)
            {
                claims.Add((claim, runId, row.GetDateTimeOffset("TakenAt") ?? row.Timestamp ?? DateTimeOffset.MinValue, row.RowKey));
            }
        }

        return claims;
    }
}
