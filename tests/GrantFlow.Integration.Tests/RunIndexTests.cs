using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using GrantFlow.Contracts;
using GrantFlow.Workflows.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// The runs' index: listings read it page by page (never the runs table), give the same runs in the same order as
/// the records say, and the recovery sweep keeps it honest (an ended run leaves the open runs, a start that never
/// stored its record leaves nothing behind, a claim of a run that never came to exist is freed).
/// </summary>
public abstract class RunIndexTests(EngineFixture fixture)
{
    private RunRepository Repository => fixture.Engine.Services.GetRequiredService<RunRepository>();

    private TableClient IndexTable => new TableServiceClient(fixture.StorageConnectionString).GetTableClient("GrantFlowRunIndex");

    /// <summary>Stores 40 runs of one fiscal year (records only; no orchestration): programs, kinds, owners and statuses mixed.</summary>
    private async Task<List<RunRecord>> SeedAsync(int year)
    {
        var programs = new[] { "resident-insurance", "medical-assistance", "service-capacity" };
        var statuses = new[] { RunStatuses.Completed, RunStatuses.AwaitingStage("review"), RunStatuses.Failed, RunStatuses.Completed, RunStatuses.Rejected };
        var at = DateTimeOffset.UtcNow.AddDays(-1);
        var runs = new List<RunRecord>();
        for (var i = 0; i < 40; i++)
        {
            var passDown = i % 4 == 3;
            var record = new RunRecord
            {
                RunId = Guid.NewGuid().ToString("N"),
                Kind = passDown ? RunKinds.PassDown : RunKinds.Advance,
                Program = programs[i % 3],
                FiscalYear = year,
                EnvelopeYuan = 1_000_000,
                StartedBy = "official.li",
                StartedAt = at.AddSeconds(i / 2), // pairs share a start time: the run id orders them
                Status = RunStatuses.Started,
                Owner = passDown ? (i % 8 == 3 ? "44" : "45") : null,
            };
            await Repository.CreateAsync(record, EngineFixture.Parameters(record.Program!, year), EngineFixture.ProvincesCsv);
            var status = statuses[i % statuses.Length];
            await Repository.UpdateAsync(record.RunId, r => r with { Status = status });
            runs.Add(record with { Status = status });
        }

        return runs;
    }

    private async Task<List<string>> WalkAsync(string query, string role, int pageSize)
    {
        var ids = new List<string>();
        string? token = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var path = $"/api/runs?{query}&pageSize={pageSize}" + (token is null ? string.Empty : "&continuationToken=" + token);
            using var response = await fixture.SendAsync(HttpMethod.Get, path, role);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
            var page = body.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetString()!).ToList();
            Assert.True(page.Count <= pageSize);
            ids.AddRange(page);
            token = body.TryGetProperty("continuationToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            if (token is null)
            {
                return ids;
            }
        }

        throw new Xunit.Sdk.XunitException("the listing did not end in 100 pages");
    }

    private static List<string> Expected(IEnumerable<RunRecord> runs) =>
        [.. runs.OrderByDescending(r => r.StartedAt).ThenBy(r => r.RunId, StringComparer.Ordinal).Select(r => r.RunId)];

    [Fact]
    public async Task Every_filter_walks_its_pages_to_exactly_the_runs_the_records_say_in_order()
    {
        const int year = 2071;
        var runs = await SeedAsync(year);
        var awaiting = RunStatuses.AwaitingStage("review");

        Assert.Equal(Expected(runs), await WalkAsync($"fiscalYear={year}", GrantFlowRoles.FinanceOfficer, 7));
        Assert.Equal(Expected(runs.Where(r => r.Program == "medical-assistance")), await WalkAsync($"fiscalYear={year}&program=medical-assistance", GrantFlowRoles.Auditor, 3));
        Assert.Equal(Expected(runs.Where(r => r.Status == awaiting)), await WalkAsync($"fiscalYear={year}&status={awaiting}", GrantFlowRoles.FinanceOfficer, 2));
        Assert.Equal(Expected(runs.Where(r => r.Status == RunStatuses.Failed && r.Kind == RunKinds.Advance)), await WalkAsync($"fiscalYear={year}&status=failed&kind=advance", GrantFlowRoles.FinanceOfficer, 50));
        Assert.Equal(Expected(runs.Where(r => r.Owner == "44")), await WalkAsync($"fiscalYear={year}&owner=44", GrantFlowRoles.FinanceOfficer, 4));
        Assert.Equal(Expected(runs.Where(r => r.Kind != RunKinds.PassDown)), await WalkAsync($"fiscalYear={year}", GrantFlowRoles.Approver, 9));

        // A province sees its own pass-downs only, through its owner partition, with or without the year.
        var guangdong = await WalkAsync("kind=pass-down", "province:44", 2);
        Assert.Equal(Expected(runs.Where(r => r.Owner == "44")), guangdong.Where(runs.Select(r => r.RunId).Contains).ToList());
        Assert.DoesNotContain(runs.Where(r => r.Owner == "45").Select(r => r.RunId), guangdong.Contains);

        // The open runs hold what is under way, nothing that ended.
        var open = (await Repository.ListOpenAsync()).Where(o => o.Record?.FiscalYear == year).Select(o => o.Record!.RunId).ToHashSet();
        Assert.Equal(runs.Where(r => r.Status == awaiting).Select(r => r.RunId).ToHashSet(), open);
    }

    [Fact]
    public async Task A_token_is_refused_when_edited_or_from_another_query()
    {
        const int year = 2072;
        await SeedAsync(year);
        using var first = await fixture.SendAsync(HttpMethod.Get, $"/api/runs?fiscalYear={year}&pageSize=5", GrantFlowRoles.FinanceOfficer);
        var token = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("continuationToken").GetString()!;
        var raw = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (token.Length % 4)) % 4)));
        var edited = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(raw[..^1] + "'")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        foreach (var (query, bad) in new[] { ($"fiscalYear={year}&pageSize=5", edited), ($"fiscalYear={year + 1}&pageSize=5", token), ($"fiscalYear={year}&pageSize=5", "djJ8") })
        {
            using var response = await fixture.SendAsync(HttpMethod.Get, $"/api/runs?{query}&continuationToken={bad}", GrantFlowRoles.FinanceOfficer);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("continuationToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_sweep_closes_ended_runs_drops_rows_of_runs_never_stored_and_frees_their_claims()
    {
        // An ended run whose open row stayed (a crash between the record and the index).
        var ended = (await SeedAsync(2073)).First(r => r.Status == RunStatuses.Completed);
        await IndexTable.UpsertEntityAsync(RunIndex.Row(RunIndex.OpenRuns, ended));

        // A start that filed its index rows and took its claim, then died before storing its record (20 minutes ago).
        var ghost = new RunRecord { RunId = Guid.NewGuid().ToString("N"), Program = "medical-assistance", FiscalYear = 2073, EnvelopeYuan = 1, StartedBy = "official.li", StartedAt = DateTimeOffset.UtcNow.AddMinutes(-20), Status = RunStatuses.Started };
        foreach (var partition in RunIndex.PartitionsOf(ghost))
        {
            await IndexTable.UpsertEntityAsync(RunIndex.Row(partition, ghost));
        }

        var claim = RunRepository.AdvanceClaim("medical-assistance", 2073);
        Assert.True(await Repository.TryClaimAsync(claim, ghost.RunId));
        var marker = (await IndexTable.GetEntityAsync<TableEntity>(RunIndex.PendingClaims, $"{claim}|{ghost.RunId}")).Value;
        marker["TakenAt"] = DateTimeOffset.UtcNow.AddMinutes(-20);
        await IndexTable.UpdateEntityAsync(marker, marker.ETag);
        Assert.DoesNotContain(await WalkAsync("fiscalYear=2073&program=medical-assistance", GrantFlowRoles.FinanceOfficer, 50), id => id == ghost.RunId); // no record: not listed

        var recovery = await fixture.Runs.RecoverAsync(TimeSpan.FromHours(1));

        Assert.Contains(claim, recovery.ClaimsFreed);
        Assert.Null(await Repository.ClaimHolderAsync(claim));
        var open = IndexTable.Query<TableEntity>(e => e.PartitionKey == RunIndex.OpenRuns).Select(e => e.RowKey).ToList();
        Assert.DoesNotContain(RunIndex.Key(ended), open);
        Assert.DoesNotContain(RunIndex.Key(ghost), open);
        Assert.False((await IndexTable.GetEntityIfExistsAsync<TableEntity>(RunIndex.PendingClaims, $"{claim}|{ghost.RunId}")).HasValue);
    }

    [Fact]
    public async Task A_start_files_the_run_before_storing_it_and_its_end_takes_it_out_of_the_open_runs()
    {
        var runId = await fixture.CompleteRunAsync("service-capacity");
        var record = (await Repository.FindAsync(runId))!;

        foreach (var partition in RunIndex.PartitionsOf(record with { Status = RunStatuses.Started }))
        {
            var row = await IndexTable.GetEntityIfExistsAsync<TableEntity>(partition, RunIndex.Key(record));
            Assert.Equal(partition != RunIndex.OpenRuns, row.HasValue);
        }
    }
}
