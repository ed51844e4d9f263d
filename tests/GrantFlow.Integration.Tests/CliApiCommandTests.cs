using System.Text;
using GrantFlow.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// Officials without curl: `grantflow runs|settle|correct|notices` against the API of a running host, with exit codes
/// scripts can use (0 done, 2 bad input, 3 not allowed, 4 conflict or not found, 5 run ended without releasing).
/// </summary>
public abstract class CliApiCommandTests(EngineFixture fixture)
{
    private async Task<(int Exit, string Out, string Err)> GrantFlowAsync(string user, string role, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var token = fixture.Tokens.Mint(user, [role], TimeSpan.FromMinutes(10));
        var exit = await GrantFlowCli.RunAsync([.. args, "--server", fixture.Http.BaseAddress!.ToString(), "--token", token], output, error);
        return (exit, output.ToString().Trim(), error.ToString());
    }

    private static string TempFile(string name, byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"gf-cli-{Guid.NewGuid():N}-{name}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task A_run_is_started_decided_watched_and_its_notice_acknowledged_from_the_command_line()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var parameters = TempFile("params.json", Encoding.UTF8.GetBytes(EngineFixture.Parameters("medical-assistance", 2080)));
        var gbkCsv = TempFile("provinces.csv", Encoding.GetEncoding(936).GetBytes(EngineFixture.ProvincesCsv)); // as a Chinese Excel saves it

        var started = await GrantFlowAsync("official.li", "finance-officer", "runs", "start", "--params", parameters, "--provinces", gbkCsv, "--approval-timeout", "00:10:00");
        Assert.True(started.Exit == 0, started.Err);
        var runId = started.Out;
        Assert.Matches("^[0-9a-f]{32}$", runId);

        var twice = await GrantFlowAsync("official.li", "finance-officer", "runs", "start", "--params", parameters, "--provinces", gbkCsv);
        var byAuditor = await GrantFlowAsync("auditor.sun", "auditor", "runs", "start", "--params", parameters, "--provinces", gbkCsv);
        Assert.Equal(GrantFlowCli.Conflict, twice.Exit);
        Assert.Equal(GrantFlowCli.NotAllowed, byAuditor.Exit);

        for (var i = 0; i < 300 && !(await GrantFlowAsync("auditor.sun", "auditor", "runs", "show", runId)).Out.Contains("awaiting-review", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        var byInitiator = await GrantFlowAsync("official.li", "approver", "runs", "decide", runId, "--stage", "review", "--approve");
        var review = await GrantFlowAsync("reviewer.wang", "approver", "runs", "decide", runId, "--stage", "review", "--approve");
        Assert.Equal(GrantFlowCli.NotAllowed, byInitiator.Exit);
        Assert.True(review.Exit == 0, review.Err);
        for (var i = 0; i < 300; i++)
        {
            var approval = await GrantFlowAsync("approver.zhao", "approver", "runs", "decide", runId, "--stage", "approval", "--approve");
            if (approval.Exit == 0)
            {
                break;
            }

            Assert.Equal(GrantFlowCli.Conflict, approval.Exit); // not yet awaiting approval
            await Task.Delay(100);
        }

        var watched = await GrantFlowAsync("auditor.sun", "auditor", "runs", "watch", runId, "--interval", "00:00:00.200");
        Assert.True(watched.Exit == 0, watched.Err);
        Assert.Contains("completed", watched.Out, StringComparison.Ordinal);

        var notices = await GrantFlowAsync("guangdong.finance", "province:44", "notices", "list", "--province", "44");
        Assert.Equal(0, notices.Exit);
        var number = $"GF-2080-medical-assistance-44-{runId[..8]}";
        Assert.Contains(number, notices.Out, StringComparison.Ordinal);
        var ack = await GrantFlowAsync("guangdong.finance", "province:44", "notices", "ack", "--province", "44", "--notice", number);
        var stranger = await GrantFlowAsync("guangxi.finance", "province:45", "notices", "ack", "--province", "44", "--notice", number);
        Assert.Equal(0, ack.Exit);
        Assert.Contains("acknowledged by guangdong.finance", ack.Out, StringComparison.Ordinal);
        Assert.Equal(GrantFlowCli.NotAllowed, stranger.Exit);
        var relisted = await GrantFlowAsync("guangdong.finance", "province:44", "notices", "list", "--province", "44");
        Assert.Contains("guangdong.finance", relisted.Out, StringComparison.Ordinal); // the Acknowledged column: when and by whom

        var chases = await GrantFlowAsync("official.li", "finance-officer", "disputes", "chases");
        Assert.Equal(0, chases.Exit);
        Assert.DoesNotContain(number, chases.Out, StringComparison.Ordinal); // acknowledged: chased no more
        var guangxi = $"GF-2080-medical-assistance-45-{runId[..8]}";
        Assert.Contains(guangxi, chases.Out, StringComparison.Ordinal);
        var disputed = await GrantFlowAsync("gx.finance", "province:45", "notices", "dispute", "--province", "45", "--notice", guangxi, "--reason", "recipients miscounted", "--figure", "assistance_recipients=1234567");
        var resolved = await GrantFlowAsync("official.chen", "finance-officer", "disputes", "resolve", "--province", "45", "--notice", guangxi, "--decision", "reject", "--reason", "figures are the ministry's");
        var listed = await GrantFlowAsync("auditor.sun", "auditor", "disputes", "list", "--status", "rejected");
        Assert.True(disputed.Exit == 0, disputed.Err);
        Assert.True(resolved.Exit == 0, resolved.Err);
        Assert.StartsWith("rejected", resolved.Out, StringComparison.Ordinal);
        Assert.Contains(guangxi, listed.Out, StringComparison.Ordinal);

        // Guangdong passes its acknowledged notice down to its counties, approved by its own approvers.
        var counties = TempFile("counties.csv", Encoding.UTF8.GetBytes(EngineFixture.CountiesCsv("44")));
        var passDown = await GrantFlowAsync("gd.finance", "province:44", "passdown", "--province", "44", "--notice", number, "--params", parameters, "--counties", counties, "--retention", "0.03");
        Assert.True(passDown.Exit == 0, passDown.Err);
        var byCentral = await GrantFlowAsync("approver.zhao", "approver", "runs", "decide", passDown.Out, "--stage", "review", "--approve");
        Assert.Equal(GrantFlowCli.NotAllowed, byCentral.Exit);
    }

    /// <summary>Decides both stages as two of the payer's approvers (retrying while the stage is not open yet), then waits for the run.</summary>
    private async Task ApprovedAsync(string runId, string role)
    {
        foreach (var (stage, user) in new[] { ("review", "reviewer"), ("approval", "approver") })
        {
            for (var i = 0; ; i++)
            {
                var decided = await GrantFlowAsync($"{user}.{role}", role, "runs", "decide", runId, "--stage", stage, "--approve");
                if (decided.Exit == 0)
                {
                    break;
                }

                Assert.True(decided.Exit == GrantFlowCli.Conflict && i < 300, $"{stage}: {decided.Exit} {decided.Err}");
                await Task.Delay(100);
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await fixture.Engine.Client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: false, timeout.Token);
    }

    [Fact]
    public async Task A_grant_goes_down_through_a_prefecture_to_its_counties_and_an_auditor_traces_a_county_yuan_from_the_command_line()
    {
        var centralRun = await fixture.CompleteRunAsync("medical-assistance");
        var outbox = fixture.Engine.Services.GetRequiredService<GrantFlow.Workflows.Notices.NoticeOutbox>();
        var central = (await outbox.ListForProvinceAsync("44")).Single(n => n.RunId == centralRun);
        var parameters = TempFile("params.json", Encoding.UTF8.GetBytes(EngineFixture.Parameters("medical-assistance", central.FiscalYear)));
        var prefectures = TempFile("prefectures.csv", Encoding.UTF8.GetBytes(EngineFixture.PrefecturesCsv("44")));
        var counties = TempFile("counties.csv", Encoding.UTF8.GetBytes(EngineFixture.CountiesCsv("4401")));

        Assert.Equal(0, (await GrantFlowAsync("gd.finance", "province:44", "notices", "ack", "--province", "44", "--notice", central.NoticeNumber)).Exit);
        var twoPayers = await GrantFlowAsync("gd.finance", "province:44", "passdown", "--province", "44", "--prefecture", "4401", "--notice", central.NoticeNumber, "--params", parameters, "--prefectures", prefectures);
        var noRecipients = await GrantFlowAsync("gd.finance", "province:44", "passdown", "--province", "44", "--notice", central.NoticeNumber, "--params", parameters);
        Assert.Equal((GrantFlowCli.InvalidInput, GrantFlowCli.InvalidInput), (twoPayers.Exit, noRecipients.Exit));
        var toPrefectures = await GrantFlowAsync("gd.finance", "province:44", "passdown", "--province", "44", "--notice", central.NoticeNumber, "--params", parameters, "--prefectures", prefectures, "--retention", "0.02");
        Assert.True(toPrefectures.Exit == 0, toPrefectures.Err);
        await ApprovedAsync(toPrefectures.Out, "province-approver:44");

        var inbox = await GrantFlowAsync("gz.finance", "prefecture:4401", "notices", "list", "--prefecture", "4401");
        var notice = (await outbox.ListForProvinceAsync("4401")).Single();
        Assert.True(inbox.Exit == 0, inbox.Err);
        Assert.Contains(notice.NoticeNumber, inbox.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await GrantFlowAsync("gz.finance", "prefecture:4401", "notices", "ack", "--prefecture", "4401", "--notice", notice.NoticeNumber)).Exit);
        var toCounties = await GrantFlowAsync("gz.finance", "prefecture:4401", "passdown", "--prefecture", "4401", "--notice", notice.NoticeNumber, "--params", parameters, "--counties", counties);
        Assert.True(toCounties.Exit == 0, toCounties.Err);
        await ApprovedAsync(toCounties.Out, "prefecture-approver:4401");

        var countyInbox = await GrantFlowAsync("county.bureau", "county:440101", "notices", "list", "--county", "440101");
        var trace = await GrantFlowAsync("auditor.sun", "auditor", "trace", "--run", toCounties.Out, "--sequence", "1");
        var byCounty = await GrantFlowAsync("county.bureau", "county:440101", "trace", "--run", toCounties.Out, "--sequence", "1");
        Assert.True(countyInbox.Exit == 0 && countyInbox.Out.Contains(toCounties.Out[..8], StringComparison.Ordinal), countyInbox.Out + countyInbox.Err);
        Assert.True(trace.Exit == 0, trace.Out + trace.Err);
        Assert.Contains("intact: 2 link(s) to the central entry", trace.Out, StringComparison.Ordinal);
        Assert.Contains($"{centralRun}/", trace.Out, StringComparison.Ordinal);
        Assert.Equal(GrantFlowCli.NotAllowed, byCounty.Exit);
    }

    [Fact]
    public async Task Bad_files_and_bad_input_exit_2_naming_the_problem()
    {
        var parameters = TempFile("params.json", Encoding.UTF8.GetBytes(EngineFixture.Parameters("medical-assistance", 2081)));
        var countyCsv = TempFile("provinces.csv", Encoding.UTF8.GetBytes(EngineFixture.ProvincesCsv.TrimEnd() + "\r\n110101,Dongcheng,东城区,5,0.1,700000,120000,120000,1,1,0.5,90,10\r\n"));
        var notJson = TempFile("params.json", Encoding.UTF8.GetBytes("{ program: "));
        var garbled = TempFile("provinces.csv", [0x70, 0x72, 0x81, 0x20, 0xFF, 0xFE]);

        var county = await GrantFlowAsync("official.li", "finance-officer", "runs", "start", "--params", parameters, "--provinces", countyCsv);
        var json = await GrantFlowAsync("official.li", "finance-officer", "runs", "start", "--params", notJson, "--provinces", countyCsv);
        var encoding = await GrantFlowAsync("official.li", "finance-officer", "runs", "start", "--params", parameters, "--provinces", garbled);
        var missing = await GrantFlowAsync("official.li", "finance-officer", "runs", "start", "--params", parameters, "--provinces", "/nonexistent/provinces.csv");
        var reason = await GrantFlowAsync("official.li", "finance-officer", "correct", "--run", "../x", "--province", "44", "--amount", "1", "--reason", "r");

        Assert.Equal(GrantFlowCli.InvalidInput, county.Exit);
        Assert.Contains("line 33, province_code", county.Err, StringComparison.Ordinal);
        Assert.Equal(GrantFlowCli.InvalidInput, json.Exit);
        Assert.Equal(GrantFlowCli.InvalidInput, encoding.Exit);
        Assert.Contains("CSV UTF-8", encoding.Err, StringComparison.Ordinal);
        Assert.Equal(GrantFlowCli.InvalidInput, missing.Exit);
        Assert.Equal(GrantFlowCli.InvalidInput, reason.Exit);
        Assert.Contains("correctsRunId", reason.Err, StringComparison.Ordinal);
        Assert.All(new[] { county, json, encoding, missing, reason }, r => Assert.Empty(r.Out));
    }

    [Fact]
    public async Task A_plan_is_set_shown_and_listed_and_an_advance_below_it_needs_an_exception_from_the_command_line()
    {
        var set = await GrantFlowAsync("official.li", "finance-officer", "plans", "set", "--program", "medical-assistance", "--year", "2081", "--expected", "30000000000", "--kind", "special");
        Assert.True(set.Exit == 0, set.Err);
        Assert.Contains("version 1, special transfer, expected 30,000,000,000 yuan; an advance releases at least 70% (21,000,000,000 yuan)", set.Out, StringComparison.Ordinal);
        var again = await GrantFlowAsync("official.li", "finance-officer", "plans", "set", "--program", "medical-assistance", "--year", "2081", "--expected", "30000000000", "--kind", "special");
        Assert.Contains("version 1 (unchanged)", again.Out, StringComparison.Ordinal);
        Assert.Equal(GrantFlowCli.InvalidInput, (await GrantFlowAsync("official.li", "finance-officer", "plans", "set", "--program", "medical-assistance", "--year", "2081", "--expected", "1", "--kind", "block")).Exit);
        Assert.Equal(GrantFlowCli.NotAllowed, (await GrantFlowAsync("auditor.sun", "auditor", "plans", "set", "--program", "medical-assistance", "--year", "2081", "--expected", "1")).Exit);

        var parameters = TempFile("params.json", Encoding.UTF8.GetBytes(EngineFixture.Parameters("medical-assistance", 2081).Replace("26686000000", "20000000000", StringComparison.Ordinal)));
        var csv = TempFile("provinces.csv", Encoding.UTF8.GetBytes(EngineFixture.ProvincesCsv));
        var below = await GrantFlowAsync("official.li", "finance-officer", "runs", "start", "--params", parameters, "--provinces", csv);
        Assert.Equal(GrantFlowCli.InvalidInput, below.Exit);
        Assert.Contains("66.66%", below.Err, StringComparison.Ordinal);
        var excepted = await GrantFlowAsync("official.li", "finance-officer", "runs", "start", "--params", parameters, "--provinces", csv, "--advance-exception", "预算待批");
        Assert.True(excepted.Exit == 0, excepted.Err);
        var shown = await GrantFlowAsync("auditor.sun", "auditor", "runs", "show", excepted.Out);
        Assert.Contains("plan v1: special transfer, expected 30,000,000,000 yuan, advance 66.66% (minimum 70%)", shown.Out, StringComparison.Ordinal);
        Assert.Contains("below the minimum by exception: 预算待批", shown.Out, StringComparison.Ordinal);

        var show = await GrantFlowAsync("auditor.sun", "auditor", "plans", "show", "--program", "medical-assistance", "--year", "2081");
        Assert.Contains("chain intact", show.Out, StringComparison.Ordinal);
        var list = await GrantFlowAsync("auditor.sun", "auditor", "plans", "list", "--year", "2081");
        Assert.True(list.Exit == 0, list.Err);
        Assert.Contains("medical-assistance", list.Out, StringComparison.Ordinal);
    }
}
