using System.Globalization;
using Azure;
using Azure.Data.Tables;
using CsvHelper;
using GrantFlow.Hosting.Local;
using Microsoft.Playwright;
using MiniExcelLibs;

namespace GrantFlow.Console.Tests;

/// <summary>An auditor searches, pages, chooses columns, exports (CSV and Excel, checked), verifies and reads the report.</summary>
public abstract class AuditorJourneyTests(ConsoleHost host)
{
    private const long ServiceCapacity2026 = 3_505_000_000;

    [Fact]
    public async Task An_auditor_searches_pages_exports_verifies_sees_tampering_row_by_row_and_reads_the_report()
    {
        var auditor = await host.NewPageAsync();
        await Journey.SignInAsync(auditor, "auditor.chen");
        await Assertions.Expect(auditor.GetByTestId("ledger")).ToBeVisibleAsync();
        await Assertions.Expect(auditor.GetByTestId("ledger").Locator("tbody tr").First).ToBeVisibleAsync(); // a page of 2026
        var first = await auditor.GetByTestId("ledger").Locator("tbody tr").First.InnerTextAsync();
        await auditor.GetByTestId("next-page").ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("ledger").Locator("tbody tr").First).Not.ToHaveTextAsync(first);
        await Assertions.Expect(auditor.GetByText("第 2 页")).ToBeVisibleAsync();

        // Filter: one program's advance; the net total is its envelope.
        await auditor.Locator("form.filters").GetByLabel("项目").SelectOptionAsync("service-capacity");
        var kinds = await auditor.Locator("form.filters").GetByLabel("类型").Locator("option").AllInnerTextsAsync();
        Assert.All(kinds, k => Assert.DoesNotMatch("[A-Za-z]", k)); // every ledger kind by its Chinese name (清算补拨, 冲销...)
        await auditor.Locator("form.filters").GetByLabel("类型").SelectOptionAsync("advance");
        await auditor.GetByTestId("ledger-search").ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("ledger").Locator("tbody tr")).ToHaveCountAsync(31);
        await Assertions.Expect(auditor.GetByTestId("net-total")).ToContainTextAsync(ServiceCapacity2026.ToString("N0", CultureInfo.InvariantCulture));

        // Columns: hide the hash, show the run.
        await auditor.GetByTestId("column-hash").UncheckAsync();
        await auditor.GetByTestId("column-runId").CheckAsync();
        await Assertions.Expect(auditor.GetByTestId("ledger").Locator("thead")).Not.ToContainTextAsync("哈希");
        await Assertions.Expect(auditor.GetByTestId("ledger").Locator("thead")).ToContainTextAsync("批次");
        await Assertions.Expect(auditor.GetByTestId("ledger").Locator("tbody tr").First).ToContainTextAsync("提前下达"); // kinds and recipients by name
        await Assertions.Expect(auditor.GetByTestId("ledger").Locator("tbody")).ToContainTextAsync("北京");
        await ConsoleHost.ScreenshotAsync(auditor, "08-auditor-ledger");

        // A province by its name; a name that is none is said in Chinese and the old results go.
        await auditor.GetByTestId("ledger-province").FillAsync("广东");
        await auditor.GetByTestId("ledger-search").ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("ledger").Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(auditor.GetByTestId("ledger").Locator("tbody tr")).ToContainTextAsync("广东");
        await auditor.GetByTestId("ledger-province").FillAsync("广");
        await auditor.GetByTestId("ledger-search").ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("problem")).ToContainTextAsync("不是 31 个省级行政区划之一");
        await Assertions.Expect(auditor.GetByTestId("ledger")).ToHaveCountAsync(0);
        await auditor.GetByTestId("ledger-province").FillAsync(string.Empty);
        await auditor.GetByTestId("ledger-search").ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("ledger").Locator("tbody tr")).ToHaveCountAsync(31);

        // Exports, downloaded and read back.
        var csvDownload = await auditor.RunAndWaitForDownloadAsync(() => auditor.GetByTestId("export-csv").ClickAsync());
        var csvPath = Path.Combine(ConsoleHost.Artifacts, csvDownload.SuggestedFilename);
        await csvDownload.SaveAsAsync(csvPath);
        using (var reader = new StreamReader(csvPath))
        using (var csv = new CsvReader(reader, CultureInfo.InvariantCulture))
        {
            var rows = csv.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
            Assert.Equal(31, rows.Count);
            Assert.Equal(ServiceCapacity2026, rows.Sum(r => long.Parse((string)r["amount_yuan"], CultureInfo.InvariantCulture)));
        }

        var xlsxDownload = await auditor.RunAndWaitForDownloadAsync(() => auditor.GetByTestId("export-xlsx").ClickAsync());
        var xlsxPath = Path.Combine(ConsoleHost.Artifacts, xlsxDownload.SuggestedFilename);
        await xlsxDownload.SaveAsAsync(xlsxPath);
        Assert.EndsWith(".xlsx", xlsxPath, StringComparison.Ordinal);
        Assert.Equal(31, MiniExcel.Query(xlsxPath, useHeaderRow: true).Count());

        // Verify the year: intact.
        await auditor.GetByRole(AriaRole.Link, new() { Name = "核验" }).ClickAsync();
        await auditor.GetByTestId("scope-year").CheckAsync();
        await auditor.GetByTestId("verify").ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("verify-summary")).ToContainTextAsync("全部完好");

        // Someone edits an amount in the table directly: verification shows the row.
        var runId = await ServiceCapacityRunAsync();
        var ledger = new TableClient(AzuriteConnectionString(), "GrantFlowLedger");
        var row = (await ledger.GetEntityAsync<TableEntity>(runId, "000001")).Value;
        row["AmountYuan"] = row.GetInt64("AmountYuan")!.Value + 1_000_000;
        await ledger.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge);
        await auditor.GetByLabel("单个批次").CheckAsync();
        await auditor.GetByTestId("verify-run").FillAsync(runId);
        await auditor.GetByTestId("verify").ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("verify-summary")).ToContainTextAsync("存在问题");
        await Assertions.Expect(auditor.Locator("tr.problem-row").First).ToContainTextAsync("000001");
        await Assertions.Expect(auditor.Locator("tr.problem-row").First.GetByTestId("problem-text")).ToHaveTextAsync("该行内容与其哈希不符：字段被改动。"); // Chinese; the API's sentence is the tooltip
        await ConsoleHost.ScreenshotAsync(auditor, "09-auditor-verify-tampered");
        row["AmountYuan"] = row.GetInt64("AmountYuan")!.Value - 1_000_000; // put it back for the other journeys
        await ledger.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge);

        // The monthly report with its chart.
        await auditor.GetByRole(AriaRole.Link, new() { Name = "月报" }).ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("report-chart").Locator("rect")).ToHaveCountAsync(31);
        await Assertions.Expect(auditor.GetByTestId("report-chart")).ToContainTextAsync("广东"); // provinces by name
        await Assertions.Expect(auditor.GetByTestId("report").Locator("tbody")).ToContainTextAsync("广东");
        await ConsoleHost.ScreenshotAsync(auditor, "10-monthly-report");
        var reportDownload = await auditor.RunAndWaitForDownloadAsync(() => auditor.GetByTestId("report-export").ClickAsync());
        var reportPath = Path.Combine(ConsoleHost.Artifacts, reportDownload.SuggestedFilename);
        await reportDownload.SaveAsAsync(reportPath);
        Assert.StartsWith("fund-report-2026-", reportDownload.SuggestedFilename, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, File.ReadAllBytes(reportPath)[..3]); // UTF-8 with BOM, for Excel

        // Auditors change nothing: no start, decision or acknowledgement is offered.
        await Assertions.Expect(auditor.GetByRole(AriaRole.Link, new() { Name = "发起测算" })).ToHaveCountAsync(0);
        Assert.True(host.ConsoleErrors.IsEmpty, string.Join(Environment.NewLine, host.ConsoleErrors));
    }

    [Fact]
    public async Task An_auditor_traces_a_county_yuan_through_its_prefecture_and_province_to_the_central_release()
    {
        var auditor = await host.NewPageAsync();
        await Journey.SignInAsync(auditor, "auditor.chen");
        await Assertions.Expect(auditor.GetByTestId("ledger")).ToBeVisibleAsync();
        await auditor.GetByTestId("ledger-province").FillAsync("320101"); // the demo's county under 江苏01市 (grantflow demo passes service-capacity down through it)
        await auditor.GetByTestId("ledger-search").ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("ledger").Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(auditor.GetByTestId("ledger").Locator("tbody tr")).ToContainTextAsync("分解下达");

        await auditor.GetByTestId("trace-entry").ClickAsync();
        var trace = auditor.GetByTestId("trace");
        await Assertions.Expect(trace).ToHaveAttributeAsync("data-intact", "true");
        await Assertions.Expect(trace.GetByTestId("trace-step")).ToHaveCountAsync(3);
        Assert.Equal(["320101", "3201", "32"], await trace.GetByTestId("trace-step").EvaluateAllAsync<string[]>("steps => steps.map(s => s.dataset.recipient)"));
        await Assertions.Expect(trace.GetByTestId("trace-step").Nth(0)).ToContainTextAsync("县级");
        await Assertions.Expect(trace.GetByTestId("trace-step").Nth(1)).ToContainTextAsync("市级");
        await Assertions.Expect(trace.GetByTestId("trace-step").Nth(2)).ToContainTextAsync("江苏");
        await Assertions.Expect(trace.GetByTestId("trace-step").Nth(2)).ToContainTextAsync("提前下达");
        await Assertions.Expect(trace.GetByTestId("trace-verdict")).ToHaveTextAsync("链路完整：逐级追溯 2 级，直至中央下达记录，每一环均核对无误。");
        await ConsoleHost.ScreenshotAsync(auditor, "16-auditor-trace");
        Assert.True(host.ConsoleErrors.IsEmpty, string.Join(Environment.NewLine, host.ConsoleErrors));
    }

    [Fact]
    public async Task The_console_and_the_API_reference_load_nothing_from_outside_their_origin_and_the_console_switches_to_english()
    {
        var page = await host.NewPageAsync();
        var outside = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(host.Address.ToString(), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal) && !request.Url.StartsWith("blob:", StringComparison.Ordinal))
            {
                outside.Add(request.Url);
            }
        };
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "登录" })).ToBeVisibleAsync();
        Journey.Record("first render of the console (navigation to the sign-in heading, cold browser context)", System.Diagnostics.Stopwatch.GetElapsedTime(started));
        var reloaded = System.Diagnostics.Stopwatch.GetTimestamp();
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "登录" })).ToBeVisibleAsync();
        Journey.Record("render of the console on a reload (browser cache warm)", System.Diagnostics.Stopwatch.GetElapsedTime(reloaded));
        await ConsoleHost.ScreenshotAsync(page, "00-sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Journey.SignInAsync(page, "official.li");
        await page.GotoAsync("runs/new");
        await Assertions.Expect(page.GetByTestId("whatif-total")).ToBeVisibleAsync();

        // The interactive API reference, with the signed-in user's token on its calls.
        var document = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/openapi.json", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Link, new() { Name = "API reference" }).ClickAsync();
        Assert.Equal(200, (await document).Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Test Request (post /api/runs)" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await ConsoleHost.ScreenshotAsync(page, "12-api-reference");
        // Its "Test Request" sends the document's bearer scheme with an empty token: the page fills in the session's.
        Assert.Equal(200, await page.EvaluateAsync<int>("async () => (await fetch('/api/health', { headers: { Authorization: 'Bearer ' } })).status"));
        Assert.Equal(401, await page.EvaluateAsync<int>("async () => (await fetch('/api/health', { headers: { Authorization: 'Bearer forged' } })).status"));
        Assert.Empty(outside);
    }

    private async Task<string> ServiceCapacityRunAsync()
    {
        var runs = await Journey.GetAsync(host, "api/runs?program=service-capacity&fiscalYear=2026&kind=advance&status=completed", "auditor");
        return runs.GetProperty("runs")[0].GetProperty("runId").GetString()!;
    }

    private string AzuriteConnectionString()
    {
        var ports = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(host.Home, "azurite", "azurite.json"))).RootElement;
        var table = ports.GetProperty("TablePort").GetInt32();
        return string.Create(CultureInfo.InvariantCulture, $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.AccountName};AccountKey={AzuriteServer.AccountKey};TableEndpoint=http://127.0.0.1:{table}/{AzuriteServer.AccountName};");
    }
}

/// <summary>The auditor's journey on <c>grantflow serve</c>.</summary>
[Collection(ConsoleTestGroup.Name)]
public sealed class AuditorJourneyOnLocalHost(ConsoleHost host) : AuditorJourneyTests(host);

/// <summary>The auditor's journey on <c>grantflow serve --host functions</c>.</summary>
[Collection(FunctionsConsoleTestGroup.Name)]
public sealed class AuditorJourneyOnFunctionsApp(FunctionsConsoleHost host) : AuditorJourneyTests(host);
