using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;

namespace GrantFlow.Console.Tests;

/// <summary>
/// A finance official starts a run in the browser (bundled data, edited parameters, the what-if, side by side with
/// another parameter set, against the prior year), a reviewer and an approver decide it in their own browsers, and
/// the server's run equals the what-if to the yuan.
/// </summary>
public abstract class OfficialAndApproversJourneyTests(ConsoleHost host)
{
    [Fact]
    public async Task A_run_is_started_reviewed_and_approved_by_three_people_and_the_server_agrees_with_the_what_if_to_the_yuan()
    {
        // The finance official.
        var official = await host.NewPageAsync();
        await Journey.SignInAsync(official, "official.li");
        await Assertions.Expect(official.GetByTestId("runs")).ToBeVisibleAsync();
        await Assertions.Expect(official.Locator("tr[data-status=completed]").First).ToBeVisibleAsync(); // the demo's 2026 advances
        Assert.True(await official.Locator("tr[data-status=completed]").CountAsync() >= 3);
        await ConsoleHost.ScreenshotAsync(official, "01-runs");
        await official.GetByRole(AriaRole.Link, new() { Name = "发起测算" }).ClickAsync();
        await Assertions.Expect(official.GetByTestId("whatif-total")).ToHaveTextAsync("386,366,000,000"); // resident insurance, bundled
        await Assertions.Expect(official.GetByLabel("年度").First).Not.ToHaveValueAsync("2026"); // opens past the released year
        await official.GetByLabel("年度").First.FillAsync("2027"); // 2026 is released already (the demo)

        // An edit of the envelope: the 31-province what-if follows in the browser; timed from the edit to the new total.
        var edited = Stopwatch.GetTimestamp();
        await official.GetByTestId("envelope-a").FillAsync("430000000000");
        await Assertions.Expect(official.GetByTestId("whatif-total")).ToHaveTextAsync("430,000,000,000");
        await Assertions.Expect(official.GetByTestId("envelope-reading-a")).ToContainTextAsync("4,300 亿元"); // read as it is typed
        Journey.Record("what-if of 31 provinces after an edit (fill to new total shown)", Stopwatch.GetElapsedTime(edited));
        await Assertions.Expect(official.GetByTestId("whatif-summary")).ToContainTextAsync("上年数：系统内上年已完成批次"); // 2026 runs are the prior year
        await Assertions.Expect(official.Locator("tr[data-code='44'].flagged .flag")).ToContainTextAsync("变动大"); // +11% against 2026

        // Side by side with a second parameter set.
        await official.GetByTestId("compare").CheckAsync();
        await official.GetByTestId("envelope-b").FillAsync("386366000000");
        await Assertions.Expect(official.GetByTestId("whatif").Locator("tr[data-code='11'] [data-testid=compare-amount]")).Not.ToHaveTextAsync(
            await official.GetByTestId("whatif").Locator("tr[data-code='11'] [data-testid=amount]").InnerTextAsync());
        await ConsoleHost.ScreenshotAsync(official, "02-new-run-what-if");
        var whatIf = await Journey.AmountsAsync(official);
        Assert.Equal(31, whatIf.Count);
        Assert.Equal(430_000_000_000, whatIf.Values.Sum());

        await official.GetByTestId("start-run").ClickAsync();
        await Assertions.Expect(official.GetByTestId("confirm-message")).ToContainTextAsync("430,000,000,000 元（4,300 亿元）");
        await official.GetByTestId("confirm-cancel").ClickAsync(); // nothing is started without the confirmation
        await Assertions.Expect(official.GetByTestId("confirm-dialog")).ToHaveCountAsync(0);
        Assert.EndsWith("runs/new", official.Url, StringComparison.Ordinal);
        await official.GetByTestId("start-run").ClickAsync();
        await Journey.ConfirmAsync(official, "将向 31 个省份下达 430,000,000,000 元（4,300 亿元）");
        var runId = await Journey.RunIdAsync(official);
        await Journey.WaitForStatusAsync(official, "awaiting-review");
        await Assertions.Expect(official.GetByTestId("approve")).ToHaveCountAsync(0); // the initiator is offered no decision
        Assert.Equal(whatIf, await Journey.ServerAmountsAsync(host, runId));

        // The reviewer: the queue, the run with its flags, review.
        var reviewer = await host.NewPageAsync();
        await Journey.SignInAsync(reviewer, "reviewer.wang");
        await Assertions.Expect(reviewer.Locator($"tr[data-run='{runId}']")).ToBeVisibleAsync();
        await Assertions.Expect(reviewer.GetByTestId("pending-decisions")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[1-9][0-9]*$"));
        await ConsoleHost.ScreenshotAsync(reviewer, "03-approval-queue");
        await reviewer.Locator($"tr[data-run='{runId}'] a").ClickAsync();
        await Journey.WaitForStatusAsync(reviewer, "awaiting-review");
        await Assertions.Expect(reviewer.Locator("tr.flagged").First).ToBeVisibleAsync();
        await reviewer.Locator("tr[data-code='44'] summary").ClickAsync();
        await Assertions.Expect(reviewer.Locator("tr[data-code='44'] dl.explain")).ToContainTextAsync("城乡居民参保人数"); // columns by name
        await ConsoleHost.ScreenshotAsync(reviewer, "04-run-review");
        await reviewer.GetByTestId("approve").ClickAsync();
        await Journey.ConfirmAsync(reviewer, "复核同意后提交审批");
        await Journey.WaitForStatusAsync(reviewer, "awaiting-approval");
        await Assertions.Expect(reviewer.GetByTestId("not-offered")).ToBeVisibleAsync(); // who reviewed does not approve
        await Assertions.Expect(reviewer.GetByTestId("approve")).ToHaveCountAsync(0);

        // ... and the server still refuses it when asked directly.
        using (var asReviewer = Journey.Client(host, ["approver"], "reviewer.wang"))
        using (var refused = await asReviewer.PostAsJsonAsync($"api/runs/{runId}/decisions", new { stage = "approval", decision = "approve" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        // The approver.
        var approver = await host.NewPageAsync();
        await Journey.SignInAsync(approver, "approver.zhao");
        await approver.Locator($"tr[data-run='{runId}'] a").ClickAsync();
        await Journey.WaitForStatusAsync(approver, "awaiting-approval");
        await approver.GetByTestId("reason").FillAsync("同意。");
        await approver.GetByTestId("approve").ClickAsync();
        await Journey.ConfirmAsync(approver, "将向 31 个省份下达 430,000,000,000 元（4,300 亿元）：记入台账并发送 31 份通知");

        // The official follows the run live to its end.
        await Journey.WaitForStatusAsync(official, "completed");
        await Assertions.Expect(official.GetByTestId("decisions").Locator("li")).ToHaveCountAsync(2);
        await ConsoleHost.ScreenshotAsync(official, "05-run-completed");
        Assert.Equal(whatIf, await Journey.ServerAmountsAsync(host, runId));
        Assert.True(host.ConsoleErrors.IsEmpty, string.Join(Environment.NewLine, host.ConsoleErrors));
    }

    [Fact]
    public async Task On_a_generated_GB18030_data_set_uploaded_from_Excel_the_what_if_and_the_server_agree_to_the_yuan()
    {
        var csv = GeneratedProvinces(seed: 20261128);
        var official = await host.NewPageAsync();
        await Journey.SignInAsync(official, "official.li");
        await official.GotoAsync("runs/new");
        await official.GetByTestId("program-a").SelectOptionAsync("medical-assistance");
        // The form settles on the program's first free year (asked of the API) before the year is typed: typed into a
        // field the default was being written to, "2028" once became "20272028" under load.
        await Assertions.Expect(official.GetByTestId("parameters")).ToHaveAttributeAsync("data-settled", "true");
        await official.GetByLabel("年度").First.FillAsync("2028");
        await official.GetByTestId("csv-provinces").SetInputFilesAsync(new FilePayload
        {
            Name = "各省数据.csv",
            MimeType = "text/csv",
            Buffer = Encoding.GetEncoding("GB18030").GetBytes(csv.Replace("\n", "\r\n", StringComparison.Ordinal)),
        });
        await Assertions.Expect(official.GetByTestId("data-status-provinces")).ToContainTextAsync("各省数据.csv");
        await official.GetByTestId("envelope-a").FillAsync("0"); // refused in the browser as the server would, naming the field
        await Assertions.Expect(official.GetByTestId("whatif-errors")).ToContainTextAsync("资金总额须大于 0 元");
        await Assertions.Expect(official.GetByTestId("start-run")).ToHaveCountAsync(0);
        await official.GetByTestId("envelope-a").FillAsync("12345678901");
        await Assertions.Expect(official.GetByTestId("whatif-total")).ToHaveTextAsync("12,345,678,901");
        var whatIf = await Journey.AmountsAsync(official);
        await official.GetByTestId("start-run").ClickAsync();
        await Journey.ConfirmAsync(official, "12,345,678,901 元（123.45678901 亿元）");
        var runId = await Journey.RunIdAsync(official);
        await Journey.WaitForStatusAsync(official, "awaiting-review");
        Assert.Equal(whatIf, await Journey.ServerAmountsAsync(host, runId));
        Assert.Contains("广东", await official.Locator("tr[data-code='44']").InnerTextAsync(), StringComparison.Ordinal); // names survived GB18030

        // A bad file is refused in the browser, with its row, before anything is sent.
        await official.GotoAsync("runs/new");
        await official.GetByTestId("csv-provinces").SetInputFilesAsync(new FilePayload { Name = "bad.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv.Replace(",0.583,", ",abc,", StringComparison.Ordinal)) });
        await Assertions.Expect(official.Locator(".data .problem")).ToContainTextAsync("abc");
    }

    [Fact]
    public async Task A_reviewer_reviews_a_run_with_the_keyboard_alone()
    {
        string runId;
        using (var asOfficial = Journey.Client(host, ["finance-officer"], "official.li"))
        {
            var parameters = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "runs", "service-capacity-2026.json")).Replace("2026", "2029", StringComparison.Ordinal);
            using var started = await asOfficial.PostAsJsonAsync("api/runs", new
            {
                parameters = System.Text.Json.JsonDocument.Parse(parameters).RootElement,
                provincesCsv = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "provinces-2026.csv")),
            });
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            runId = (await started.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("runId").GetString()!;
        }

        var reviewer = await host.NewPageAsync();
        await Journey.SignInAsync(reviewer, "reviewer.wang"); // by keyboard too
        await Journey.TabToAsync(reviewer, reviewer.GetByRole(AriaRole.Link, new() { Name = "待我审批" }));
        await reviewer.Keyboard.PressAsync("Enter");
        var link = reviewer.Locator($"tr[data-run='{runId}'] a");
        await Assertions.Expect(link).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Journey.TabToAsync(reviewer, link);
        await reviewer.Keyboard.PressAsync("Enter");
        await Journey.WaitForStatusAsync(reviewer, "awaiting-review");
        var details = reviewer.Locator("tr[data-code='11'] summary");
        await Journey.TabToAsync(reviewer, details);
        await reviewer.Keyboard.PressAsync("Enter"); // opens the explanation
        await Assertions.Expect(reviewer.Locator("tr[data-code='11'] dl.explain")).ToBeVisibleAsync();
        await Journey.TabToAsync(reviewer, reviewer.GetByTestId("reason"));
        await reviewer.Keyboard.TypeAsync("已逐省核对。");
        await Journey.TabToAsync(reviewer, reviewer.GetByTestId("approve"));
        await reviewer.Keyboard.PressAsync("Enter");
        await Assertions.Expect(reviewer.GetByTestId("confirm")).ToBeFocusedAsync();
        await reviewer.Keyboard.PressAsync("Enter"); // confirms
        await Journey.WaitForStatusAsync(reviewer, "awaiting-approval");
        await Assertions.Expect(reviewer.GetByTestId("decisions")).ToContainTextAsync("已逐省核对。");
    }

    [Fact]
    public async Task Markup_in_an_uploaded_file_is_shown_as_text_and_never_run()
    {
        var official = await host.NewPageAsync();
        await Journey.SignInAsync(official, "official.li");
        await official.GotoAsync("runs/new");
        const string Injected = "<img src=x onerror=\"window.__injected=1\">";
        var csv = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "provinces-2026.csv")).Replace(",北京,", ",\"" + Injected.Replace("\"", "\"\"", StringComparison.Ordinal) + "\",", StringComparison.Ordinal);
        await official.GetByTestId("csv-provinces").SetInputFilesAsync(new FilePayload { Name = "x.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await Assertions.Expect(official.GetByTestId("data-status-provinces")).ToContainTextAsync("x.csv");
        await Assertions.Expect(official.Locator("tr[data-code='11'] td").Nth(1)).ToHaveTextAsync(Injected);
        Assert.Null(await official.EvaluateAsync<int?>("() => window.__injected ?? null"));
        Assert.Equal(0, await official.Locator("tr[data-code='11'] img").CountAsync());
    }

    [Fact]
    public async Task Every_control_on_the_officials_and_the_provinces_pages_has_a_label()
    {
        var official = await host.NewPageAsync();
        await Journey.SignInAsync(official, "official.li");
        foreach (var path in new[] { "runs", "runs/new", "adjustments", "chases", "ledger", "verify", "report" })
        {
            await official.GotoAsync(path);
            await Assertions.Expect(official.Locator("h1")).ToBeVisibleAsync();
            await official.WaitForTimeoutAsync(300); // the page's first answer from the API
            var unlabelled = await Journey.UnlabelledControlsAsync(official);
            Assert.True(unlabelled.Length == 0, path + ": " + string.Join(" | ", unlabelled));
        }

        var bureau = await host.NewPageAsync();
        await Journey.SignInAsync(bureau, "bureau.11");
        await Assertions.Expect(bureau.Locator("article.notice").First).ToBeVisibleAsync();
        await bureau.Locator("article.notice").First.GetByTestId("dispute").ClickAsync(); // opens the reason box
        Assert.Empty(await Journey.UnlabelledControlsAsync(bureau));
    }

    /// <summary>The bundled provinces with seeded random figures (names and codes kept).</summary>
    internal static string GeneratedProvinces(int seed)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var random = new Random(seed);
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "data", "provinces-2026.csv"));
        var output = new StringBuilder(lines[0]).Append('\n');
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            // assistance_recipients, fiscal_difficulty_coefficient, performance_score (the medical assistance factors)
            f[9] = random.Next(1_000, 3_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (f[0] != "11")
            {
                f[10] = (random.Next(300, 1_500) / 1000m).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            f[11] = (random.Next(600, 1_000) / 10m).ToString(System.Globalization.CultureInfo.InvariantCulture);
            output.AppendJoin(',', f).Append('\n');
        }

        return output.ToString();
    }
}

/// <summary>The main journey on <c>grantflow serve</c>.</summary>
[Collection(ConsoleTestGroup.Name)]
public sealed class OfficialAndApproversJourneyOnLocalHost(ConsoleHost host) : OfficialAndApproversJourneyTests(host);

/// <summary>The main journey on <c>grantflow serve --host functions</c>: what would be deployed answers the console.</summary>
[Collection(FunctionsConsoleTestGroup.Name)]
public sealed class OfficialAndApproversJourneyOnFunctionsApp(FunctionsConsoleHost host) : OfficialAndApproversJourneyTests(host);
