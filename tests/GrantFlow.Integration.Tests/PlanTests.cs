using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GrantFlow.Integration.Tests;

/// <summary>The advance-ratio rule end to end: plans set and versioned, advances and remainders checked against them.</summary>
public abstract class PlanTests(EngineFixture fixture)
{
    private Task<(HttpStatusCode Status, JsonElement Body)> SetAsync(string program, string year, object body, string role = "finance-officer") =>
        fixture.CallAsync(HttpMethod.Put, $"/api/plans/{program}/{year}", role, "official.li", body);

    private async Task<(HttpStatusCode Status, JsonElement Body)> StartAsync(string parameters, string? release = null, string? exception = null)
    {
        var body = new JsonObject { ["parameters"] = JsonNode.Parse(parameters), ["provincesCsv"] = EngineFixture.ProvincesCsv };
        if (release is not null)
        {
            body["release"] = release;
        }

        if (exception is not null)
        {
            body["advanceException"] = exception;
        }

        return await fixture.CallAsync(HttpMethod.Post, "/api/runs", "finance-officer", "official.li", body.ToJsonString());
    }

    private static (string Field, string Code) FirstError(JsonElement problem)
    {
        var error = problem.GetProperty("errors")[0];
        return (error.GetProperty("field").GetString()!, error.GetProperty("code").GetString()!);
    }

    [Fact]
    public async Task A_plan_is_versioned_never_overwritten_and_only_finance_officers_set_it()
    {
        using var anonymous = await fixture.SendAsync(HttpMethod.Put, "/api/plans/medical-assistance/2031", null, body: new { expectedYuan = 1 });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SetAsync("medical-assistance", "2031", new { expectedYuan = 28_000_000_000 }, "auditor")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SetAsync("medical-assistance", "2031", new { expectedYuan = 28_000_000_000 }, "province:11")).Status);

        var first = await SetAsync("medical-assistance", "2031", new { expectedYuan = 28_000_000_000 });
        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(("general", 1), (first.Body.GetProperty("transferKind").GetString(), first.Body.GetProperty("version").GetInt32())); // the catalog's kind
        var again = await SetAsync("medical-assistance", "2031", new { expectedYuan = 28_000_000_000 }); // the same command twice
        Assert.Equal((HttpStatusCode.OK, 1), (again.Status, again.Body.GetProperty("version").GetInt32()));

        var noReason = await SetAsync("medical-assistance", "2031", new { expectedYuan = 29_000_000_000, transferKind = "special" });
        Assert.Equal((HttpStatusCode.BadRequest, ("reason", "value.required")), (noReason.Status, FirstError(noReason.Body)));
        Assert.Equal(("program", "program.unknown"), FirstError((await SetAsync("no-such", "2031", new { expectedYuan = 1 })).Body));
        Assert.Equal("fiscalYear", FirstError((await SetAsync("medical-assistance", "20x1", new { expectedYuan = 1 })).Body).Field);
        Assert.Equal("expectedYuan", FirstError((await SetAsync("medical-assistance", "2031", new { expectedYuan = -5, reason = "x" })).Body).Field);
        Assert.Equal("transferKind", FirstError((await SetAsync("medical-assistance", "2031", new { expectedYuan = 5, transferKind = "block", reason = "x" })).Body).Field);
        Assert.Equal(HttpStatusCode.BadRequest, (await SetAsync("medical-assistance", "2031", new { expectedYuan = 5, reason = new string('长', 501) })).Status);

        var second = await SetAsync("medical-assistance", "2031", new { expectedYuan = 29_000_000_000, transferKind = "special", reason = "年度预算调整" });
        Assert.Equal((HttpStatusCode.Created, 2), (second.Status, second.Body.GetProperty("version").GetInt32()));
        Assert.Equal(first.Body.GetProperty("hash").GetString(), second.Body.GetProperty("previousHash").GetString());

        var read = await fixture.CallAsync(HttpMethod.Get, "/api/plans/medical-assistance/2031", "auditor", "auditor.sun");
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.True(read.Body.GetProperty("intact").GetBoolean());
        Assert.Equal([28_000_000_000, 29_000_000_000], read.Body.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("expectedYuan").GetInt64()));
        Assert.Equal((70, 20_300_000_000), (read.Body.GetProperty("minimumPercent").GetInt32(), read.Body.GetProperty("minimumAdvanceYuan").GetInt64()));
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.CallAsync(HttpMethod.Get, "/api/plans/medical-assistance/2031", "province:11", "p")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.CallAsync(HttpMethod.Get, "/api/plans/medical-assistance/2032", "approver", "a")).Status);
    }

    [Fact]
    public async Task An_advance_below_the_minimum_needs_an_exception_and_the_remainder_tops_up_to_the_expected_amount()
    {
        var advance = EngineFixture.Parameters("service-capacity", 2029);
        var exceptionWithoutPlan = await StartAsync(advance, exception: "没有计划");
        Assert.Equal(("advanceException", "advance.exception-not-needed"), FirstError(exceptionWithoutPlan.Body));

        Assert.Equal(HttpStatusCode.Created, (await SetAsync("service-capacity", "2029", new { expectedYuan = 4_000_000_000 })).Status);
        var below = await StartAsync(advance); // 3,505,000,000 of 4,000,000,000: 87.62% < 90%
        Assert.Equal((HttpStatusCode.BadRequest, ("envelopeYuan", "advance.below-minimum")), (below.Status, FirstError(below.Body)));
        Assert.Equal("87.62%", below.Body.GetProperty("errors")[0].GetProperty("args").GetProperty("percent").GetString());
        var listed = await fixture.CallAsync(HttpMethod.Get, "/api/runs?program=service-capacity&fiscalYear=2029", "finance-officer", "official.li");
        Assert.Equal(0, listed.Body.GetProperty("runs").GetArrayLength()); // nothing written

        var started = await StartAsync(advance, exception: "年初预算未批复，先按上年规模下达");
        Assert.Equal(HttpStatusCode.Accepted, started.Status);
        var runId = started.Body.GetProperty("runId").GetString()!;
        var seen = await fixture.CallAsync(HttpMethod.Get, $"/api/runs/{runId}", "approver", "reviewer.wang");
        var record = seen.Body.GetProperty("run");
        Assert.Equal(("87.62%", 90, 4_000_000_000L), (record.GetProperty("advancePercent").GetString(), record.GetProperty("minimumPercent").GetInt32(), record.GetProperty("expectedYuan").GetInt64()));
        Assert.Equal("年初预算未批复，先按上年规模下达", record.GetProperty("advanceException").GetString());
        await fixture.ApproveAndCompleteAsync(runId);

        var remainder = advance.Replace("3505000000", "500000000", StringComparison.Ordinal);
        var tooMuch = await StartAsync(remainder, "remainder");
        Assert.Equal((HttpStatusCode.BadRequest, ("envelopeYuan", "remainder.above-expected")), (tooMuch.Status, FirstError(tooMuch.Body)));
        Assert.Equal("495000000", tooMuch.Body.GetProperty("errors")[0].GetProperty("args").GetProperty("room").GetString());
        var topUp = await StartAsync(advance.Replace("3505000000", "495000000", StringComparison.Ordinal), "remainder");
        Assert.Equal(HttpStatusCode.Accepted, topUp.Status);
        await fixture.ApproveAndCompleteAsync(topUp.Body.GetProperty("runId").GetString()!);

        var standings = await fixture.CallAsync(HttpMethod.Get, "/api/plans?fiscalYear=2029", "auditor", "auditor.sun");
        var line = Assert.Single(standings.Body.EnumerateArray());
        Assert.Equal(
            ("service-capacity", 4_000_000_000L, 3_505_000_000L, "87.62%", false, 495_000_000L, 0L),
            (line.GetProperty("program").GetString(), line.GetProperty("expectedYuan").GetInt64(), line.GetProperty("advancedYuan").GetInt64(), line.GetProperty("advancePercent").GetString(), line.GetProperty("meetsMinimum").GetBoolean(), line.GetProperty("remainderYuan").GetInt64(), line.GetProperty("outstandingYuan").GetInt64()));

        var totals = await fixture.CallAsync(HttpMethod.Get, "/api/ledger/totals?fiscalYear=2029", "auditor", "auditor.sun");
        var program = Assert.Single(totals.Body.GetProperty("programs").EnumerateArray());
        Assert.Equal(("87.62%", 4_000_000_000L), (program.GetProperty("advancePercent").GetString(), program.GetProperty("releasedYuan").GetInt64()));
        var narrowed = await fixture.CallAsync(HttpMethod.Get, "/api/ledger/totals?fiscalYear=2029&province=11", "auditor", "auditor.sun");
        Assert.False(narrowed.Body.TryGetProperty("programs", out var none) && none.ValueKind != JsonValueKind.Null); // one province is not the program's standing

        var undercut = await SetAsync("service-capacity", "2029", new { expectedYuan = 3_000_000_000, reason = "压减" });
        Assert.Equal((HttpStatusCode.Conflict, "conflict.plan-below-released"), (undercut.Status, undercut.Body.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task An_advance_above_the_expected_amount_is_refused_even_with_an_exception()
    {
        Assert.Equal(HttpStatusCode.Created, (await SetAsync("medical-assistance", "2028", new { expectedYuan = 20_000_000_000 })).Status);
        var above = await StartAsync(EngineFixture.Parameters("medical-assistance", 2028), exception: "试图例外");
        Assert.Equal(("envelopeYuan", "advance.above-expected"), FirstError(above.Body));
        var exceptionOnRemainder = await StartAsync(EngineFixture.Parameters("medical-assistance", 2028), "remainder", "not an advance");
        Assert.Equal(("advanceException", "advance.exception-not-needed"), FirstError(exceptionOnRemainder.Body));
    }

    [Fact]
    public async Task A_plan_rewritten_in_its_table_even_with_its_chain_recomputed_shows_against_its_anchors()
    {
        Assert.Equal(HttpStatusCode.Created, (await SetAsync("service-capacity", "2033", new { expectedYuan = 4_000_000_000 })).Status);
        Assert.Equal(HttpStatusCode.Created, (await SetAsync("service-capacity", "2033", new { expectedYuan = 4_200_000_000, reason = "追加" })).Status);
        Assert.True((await fixture.CallAsync(HttpMethod.Get, "/api/plans/service-capacity/2033", "auditor", "auditor.sun")).Body.GetProperty("intact").GetBoolean());
        var verified = await fixture.CallAsync(HttpMethod.Get, "/api/ledger/verify?fiscalYear=2033", "auditor", "auditor.sun");
        var plan = Assert.Single(verified.Body.EnumerateArray(), r => r.GetProperty("runId").GetString() == "plan:service-capacity/2033");
        Assert.True(plan.GetProperty("intact").GetBoolean());

        // Someone with the account's keys lowers version 2 and recomputes its hash: the chain holds, the anchor does not.
        var table = new Azure.Data.Tables.TableClient(fixture.StorageConnectionString, "GrantFlowPlans");
        var row = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>("2033|service-capacity", "000002")).Value;
        var version = JsonSerializer.Deserialize<GrantFlow.Domain.Plans.ProgramYearPlan>(row.GetString("Document"), GrantFlow.Workflows.Storage.WorkflowJson.Options)!;
        var lowered = version with { ExpectedYuan = 3_600_000_000 };
        lowered = lowered with { Hash = GrantFlow.Domain.Plans.PlanChain.ComputeHash(lowered) };
        row["Document"] = JsonSerializer.Serialize(lowered, GrantFlow.Workflows.Storage.WorkflowJson.Options);
        row["ExpectedYuan"] = lowered.ExpectedYuan;
        row["Hash"] = lowered.Hash;
        await table.UpdateEntityAsync(row, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Replace);
        await table.DeleteEntityAsync("2033|service-capacity", "000001");

        var read = await fixture.CallAsync(HttpMethod.Get, "/api/plans/service-capacity/2033", "auditor", "auditor.sun");
        Assert.False(read.Body.GetProperty("intact").GetBoolean());
        var problems = string.Join(" | ", read.Body.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains("version 2 is not what was anchored", problems, StringComparison.Ordinal);
        Assert.Contains("version 1 is anchored but missing from the plan table", problems, StringComparison.Ordinal);
        var audit = await fixture.CallAsync(HttpMethod.Get, "/api/ledger/verify?fiscalYear=2033", "auditor", "auditor.sun");
        var broken = Assert.Single(audit.Body.EnumerateArray(), r => r.GetProperty("runId").GetString() == "plan:service-capacity/2033");
        Assert.False(broken.GetProperty("intact").GetBoolean());
        Assert.All(broken.GetProperty("problems").EnumerateArray(), p => Assert.Equal("plan", p.GetProperty("kind").GetString()));
    }
}
