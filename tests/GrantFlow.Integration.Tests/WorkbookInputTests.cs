using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using MiniExcelLibs;

namespace GrantFlow.Integration.Tests;

/// <summary>Province data sent as the Excel workbook officials keep it in: the same checks, errors by sheet, row and column.</summary>
public abstract class WorkbookInputTests(EngineFixture fixture)
{
    /// <summary>The bundled province CSV as a workbook: numbers as numbers, a named sheet; <paramref name="cell"/> may replace a value.</summary>
    internal static byte[] Workbook(Func<int, string, object?>? cell = null)
    {
        var lines = EngineFixture.ProvincesCsv.Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select((line, i) =>
        {
            var values = line.Split(',');
            return header.Select((name, c) => (name, value: cell?.Invoke(i + 2, name) ?? (c > 2 ? double.Parse(values[c], CultureInfo.InvariantCulture) : (object)values[c])))
                .ToDictionary(x => x.name, x => x.value, StringComparer.Ordinal);
        }).ToList();
        using var stream = new MemoryStream();
        stream.SaveAs(rows, sheetName: "各省数据", excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> StartAsync(int year, string? xlsx, string? csv = null)
    {
        var body = new JsonObject { ["parameters"] = JsonNode.Parse(EngineFixture.Parameters("medical-assistance", year)) };
        if (xlsx is not null)
        {
            body["provincesXlsx"] = xlsx;
        }

        if (csv is not null)
        {
            body["provincesCsv"] = csv;
        }

        return fixture.CallAsync(HttpMethod.Post, "/api/runs", "finance-officer", "official.li", body.ToJsonString());
    }

    [Fact]
    public async Task A_run_starts_from_a_workbook_and_a_bad_cell_is_named_by_sheet_row_and_column_with_nothing_written()
    {
        var badCell = await StartAsync(2083, Convert.ToBase64String(Workbook((row, column) => row == 5 && column == "assistance_recipients" ? "约八十万" : null)));
        Assert.Equal(HttpStatusCode.BadRequest, badCell.Status);
        var error = badCell.Body.GetProperty("errors")[0];
        Assert.Equal(("assistance_recipients", 5, "各省数据", "J", "value.not-a-number"), (error.GetProperty("field").GetString(), error.GetProperty("row").GetInt32(), error.GetProperty("sheet").GetString(), error.GetProperty("column").GetString(), error.GetProperty("code").GetString()));

        var notAWorkbook = await StartAsync(2083, Convert.ToBase64String("province_code,name_en\r\n11,Beijing\r\n"u8.ToArray()));
        Assert.Equal(("provincesXlsx", "file.not-a-workbook"), (notAWorkbook.Body.GetProperty("errors")[0].GetProperty("field").GetString(), notAWorkbook.Body.GetProperty("errors")[0].GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await StartAsync(2083, "not base64 at all!")).Status);
        Assert.Equal("provincesXlsx", (await StartAsync(2083, Convert.ToBase64String(Workbook()), EngineFixture.ProvincesCsv)).Body.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal("provincesCsv", (await StartAsync(2083, null)).Body.GetProperty("errors")[0].GetProperty("field").GetString());
        var listed = await fixture.CallAsync(HttpMethod.Get, "/api/runs?program=medical-assistance&fiscalYear=2083", "auditor", "auditor.sun");
        Assert.Equal(0, listed.Body.GetProperty("runs").GetArrayLength());

        var started = await StartAsync(2083, Convert.ToBase64String(Workbook()));
        Assert.Equal(HttpStatusCode.Accepted, started.Status);
        var runId = started.Body.GetProperty("runId").GetString()!;
        var fromCsv = (await fixture.Runs.StartAsync(EngineFixture.Parameters("medical-assistance", 2084), EngineFixture.ProvincesCsv, "official.li")).RunId;
        await fixture.ApproveAndCompleteAsync(runId);
        await fixture.ApproveAndCompleteAsync(fromCsv);
        var a = await fixture.CallAsync(HttpMethod.Get, $"/api/runs/{runId}", "auditor", "auditor.sun");
        var b = await fixture.CallAsync(HttpMethod.Get, $"/api/runs/{fromCsv}", "auditor", "auditor.sun");
        Assert.Equal(Amounts(b.Body), Amounts(a.Body)); // the workbook allocates exactly as its CSV
    }

    private static List<(string, long)> Amounts(JsonElement run) =>
        [.. run.GetProperty("allocations").EnumerateArray().Select(x => (x.GetProperty("code").GetString()!, x.GetProperty("amountYuan").GetInt64()))];
}
