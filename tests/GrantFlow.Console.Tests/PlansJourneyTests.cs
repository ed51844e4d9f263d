using Microsoft.Playwright;

namespace GrantFlow.Console.Tests;

/// <summary>The advance-ratio rule in the console: each program against its plan, a plan set and changed, in Chinese.</summary>
public abstract class PlansJourneyTests(ConsoleHost host)
{
    [Fact]
    public async Task An_official_reads_the_advance_ratios_and_sets_a_plan_a_change_needs_a_reason_and_an_auditor_only_reads()
    {
        var official = await host.NewPageAsync();
        await Journey.SignInAsync(official, "official.li");
        await official.GetByRole(AriaRole.Link, new() { Name = "预计数" }).ClickAsync();

        // The demo set the 2026 expected amounts before releasing: each advance with its ratio.
        var standings = official.GetByTestId("plan-standings");
        await Assertions.Expect(standings.Locator("tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(standings.Locator("tr[data-program=resident-insurance]")).ToContainTextAsync("92.65%");
        await Assertions.Expect(standings.Locator("tr[data-program=resident-insurance]")).ToContainTextAsync("一般性转移支付");

        await official.GetByTestId("plans-year").FillAsync("2027");
        await official.GetByTestId("plans-load").ClickAsync();
        await official.GetByTestId("plan-program").SelectOptionAsync("il-ethnic-minority-areas");
        await official.GetByTestId("plan-kind").SelectOptionAsync("special");
        await official.GetByTestId("plan-expected").FillAsync("120000000000");
        await official.GetByTestId("plan-save").ClickAsync();
        await Assertions.Expect(official.GetByTestId("plan-saved")).ToContainTextAsync("第 1 版");
        await Assertions.Expect(official.GetByTestId("plan-saved")).ToContainTextAsync("提前下达不低于 84,000,000,000 元（70%）");
        await Assertions.Expect(standings.Locator("tr[data-program=il-ethnic-minority-areas]")).ToContainTextAsync("120,000,000,000");
        await Assertions.Expect(standings.Locator("tr[data-program=il-ethnic-minority-areas]").GetByTestId("advance-ratio")).ToHaveTextAsync("尚未下达"); // no advance yet: not "0.00% below the minimum"

        // A changed figure without a reason is refused, in Chinese; with one it is version 2.
        await official.GetByTestId("plan-expected").FillAsync("125000000000");
        await official.GetByTestId("plan-save").ClickAsync();
        await Assertions.Expect(official.GetByTestId("problem")).ToContainTextAsync("理由：此项必填");
        await official.GetByTestId("plan-reason").FillAsync("预算草案调整");
        await official.GetByTestId("plan-save").ClickAsync();
        await Assertions.Expect(official.GetByTestId("plan-saved")).ToContainTextAsync("第 2 版");
        await ConsoleHost.ScreenshotAsync(official, "14-plans");

        // Province data kept in Excel: the workbook's reader is fetched on the first upload; a bad cell is named by sheet, row and column.
        await official.GotoAsync("runs/new");
        await official.GetByTestId("csv-provinces").SetInputFilesAsync(new FilePayload { Name = "各省数据.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = Workbook(badRow: 5) });
        await Assertions.Expect(official.Locator(".data .problem")).ToContainTextAsync("工作表“各省数据”第 5 行 J 列");
        await official.GetByTestId("csv-provinces").SetInputFilesAsync(new FilePayload { Name = "各省数据.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = Workbook(badRow: null) });
        await Assertions.Expect(official.GetByTestId("data-status-provinces")).ToContainTextAsync("31 行 · 各省数据.xlsx");

        // An auditor reads the standings (no form), and a demo advance shows its ratio.
        var auditor = await host.NewPageAsync();
        await Journey.SignInAsync(auditor, "auditor.chen");
        await auditor.GotoAsync("plans");
        await Assertions.Expect(auditor.GetByTestId("plan-standings").Locator("tbody tr")).ToHaveCountAsync(3);
        Assert.Equal(0, await auditor.GetByTestId("plan-form").CountAsync());
        var advances = await Journey.GetAsync(host, "/api/runs?program=resident-insurance&fiscalYear=2026&kind=advance&status=completed", "auditor");
        await auditor.GotoAsync("runs/" + advances.GetProperty("runs")[0].GetProperty("runId").GetString());
        await Assertions.Expect(auditor.GetByTestId("run-plan")).ToContainTextAsync("全年预计数");
        Assert.True(host.ConsoleErrors.IsEmpty, string.Join(Environment.NewLine, host.ConsoleErrors));
    }

    /// <summary>The bundled province data as an official keeps it in Excel (numbers as numbers), optionally with a word in a number's cell.</summary>
    private static byte[] Workbook(int? badRow)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "data", "provinces-2026.csv")).Where(l => l.Length > 0).ToList();
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select((line, i) => header.Zip(line.Split(','), (name, value) => (name, value))
            .Select((cell, c) => (cell.name, value: i + 2 == badRow && cell.name == "assistance_recipients" ? "约八十万" : c > 2 ? double.Parse(cell.value, System.Globalization.CultureInfo.InvariantCulture) : (object)cell.value))
            .ToDictionary(x => x.name, x => x.value)).ToList();
        using var stream = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(stream, rows, sheetName: "各省数据", excelType: MiniExcelLibs.ExcelType.XLSX);
        return stream.ToArray();
    }
}

/// <summary>The plans on <c>grantflow serve</c>.</summary>
[Collection(ConsoleTestGroup.Name)]
public sealed class PlansJourneyOnLocalHost(ConsoleHost host) : PlansJourneyTests(host);

/// <summary>The plans on <c>grantflow serve --host functions</c>.</summary>
[Collection(FunctionsConsoleTestGroup.Name)]
public sealed class PlansJourneyOnFunctionsApp(FunctionsConsoleHost host) : PlansJourneyTests(host);
