using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CsvHelper;

namespace GrantFlow.Integration.Tests;

/// <summary>Auditors query, total, export and verify the ledger over HTTP; nobody else does, and nothing is written.</summary>
public abstract class LedgerQueryTests(EngineFixture fixture)
{
    /// <summary>Two completed runs per host's storage (each host's suite has its own fixture).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<EngineFixture, Lazy<Task<List<string>>>> Runs = new();

    private Task<List<string>> RunsAsync() =>
        Runs.GetOrAdd(fixture, f => new Lazy<Task<List<string>>>(async () => [await f.CompleteRunAsync("service-capacity"), await f.CompleteRunAsync("medical-assistance")])).Value;

    private Task<HttpResponseMessage> GetAsync(string path, string? role = "auditor") => fixture.SendAsync(HttpMethod.Get, path, role, "auditor.sun");

    private async Task<JsonElement> JsonAsync(string path)
    {
        using var response = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>The next page's token; absent on the last page.</summary>
    private static string? Token(JsonElement page) =>
        page.TryGetProperty("continuationToken", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;

    [Fact]
    public async Task A_province_query_reads_only_that_province_across_programs()
    {
        var runs = await RunsAsync();

        var page = await JsonAsync("/api/ledger?fiscalYear=2026&province=44&pageSize=100");
        var entries = page.GetProperty("entries").EnumerateArray().ToList();
        while (Token(page) is { } next)
        {
            page = await JsonAsync($"/api/ledger?fiscalYear=2026&province=44&pageSize=100&continuationToken={Uri.EscapeDataString(next)}");
            entries.AddRange(page.GetProperty("entries").EnumerateArray());
        }

        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal("44", e.GetProperty("provinceCode").GetString()));

        // A page fills to its size across programs: one page of both entries, or two full pages of one.
        var whole = await JsonAsync("/api/ledger?fiscalYear=2026&province=44&pageSize=100");
        Assert.Equal(2, whole.GetProperty("entries").GetArrayLength());
        var one = await JsonAsync("/api/ledger?fiscalYear=2026&province=44&pageSize=1");
        Assert.Equal(1, one.GetProperty("entries").GetArrayLength());
        var two = await JsonAsync($"/api/ledger?fiscalYear=2026&province=44&pageSize=1&continuationToken={Uri.EscapeDataString(Token(one)!)}");
        Assert.Equal(1, two.GetProperty("entries").GetArrayLength());
        Assert.NotEqual(one.GetProperty("entries")[0].GetProperty("hash").GetString(), two.GetProperty("entries")[0].GetProperty("hash").GetString());
        Assert.Equal(runs.Order(StringComparer.Ordinal), entries.Select(e => e.GetProperty("runId").GetString()!).Order(StringComparer.Ordinal));
    }

    private async Task<List<string>> WalkAsync(string query, int pageSize)
    {
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await JsonAsync($"/api/ledger?{query}&pageSize={pageSize}" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token)));
            var entries = page.GetProperty("entries").EnumerateArray().ToList();
            Assert.True(entries.Count <= pageSize);
            seen.AddRange(entries.Select(e => $"{e.GetProperty("program").GetString()}/{e.GetProperty("provinceCode").GetString()}/{e.GetProperty("hash").GetString()}"));
            token = Token(page);
        }
        while (token is not null);
        return seen;
    }

    [Fact]
    public async Task A_whole_year_reads_as_one_key_range_program_after_program_and_a_province_year_reads_every_program()
    {
        await RunsAsync();
        var byProgram = new List<string>();
        foreach (var program in GrantFlow.Domain.Programs.GrantProgramCatalog.All.Select(p => p.Id).Order(StringComparer.Ordinal))
        {
            byProgram.AddRange(await WalkAsync($"fiscalYear=2026&program={program}", 1000));
        }

        var year = await WalkAsync("fiscalYear=2026", 7);
        var guangdong = await WalkAsync("fiscalYear=2026&province=44", 1);

        Assert.True(byProgram.Count >= 62);
        Assert.Equal(byProgram, year); // the same entries in the same order, pages of 7 with no gap or repeat
        Assert.Equal(byProgram.Where(e => e.Split('/')[1] == "44"), guangdong);
    }

    [Fact]
    public async Task Pages_follow_continuation_tokens_without_gaps_or_repeats()
    {
        await RunsAsync();
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var path = "/api/ledger?fiscalYear=2026&program=service-capacity&pageSize=10" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await JsonAsync(path);
            seen.AddRange(page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("hash").GetString()!));
            token = Token(page);
            pages++;
        }
        while (token is not null);

        Assert.Equal(31, seen.Count);
        Assert.Equal(31, seen.Distinct().Count());
        Assert.True(pages >= 4);
    }

    [Fact]
    public async Task A_run_query_reads_that_run_in_sequence()
    {
        var runs = await RunsAsync();

        var page = await JsonAsync($"/api/ledger?fiscalYear=2026&runId={runs[1]}&province=44");
        var entry = Assert.Single(page.GetProperty("entries").EnumerateArray());

        Assert.Equal(runs[1], entry.GetProperty("runId").GetString());
        Assert.Equal("medical-assistance", entry.GetProperty("program").GetString());
        Assert.Equal(19, entry.GetProperty("sequence").GetInt32());
    }

    [Fact]
    public async Task Totals_add_up_to_the_envelopes()
    {
        await RunsAsync();

        var view = await JsonAsync("/api/ledger/totals?fiscalYear=2026");
        var totals = view.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(3_505_000_000L + 26_686_000_000L, view.GetProperty("netYuan").GetInt64());

        Assert.Equal(3_505_000_000L, totals.Where(t => t.GetProperty("program").GetString() == "service-capacity").Sum(t => t.GetProperty("amountYuan").GetInt64()));
        Assert.Equal(26_686_000_000L, totals.Where(t => t.GetProperty("program").GetString() == "medical-assistance").Sum(t => t.GetProperty("amountYuan").GetInt64()));
        Assert.Equal(62, totals.Count);
    }

    [Fact]
    public async Task The_csv_export_has_amounts_in_yuan_and_ten_thousand_yuan()
    {
        await RunsAsync();

        using var response = await GetAsync("/api/ledger/export?fiscalYear=2026&program=medical-assistance&format=csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes.Take(3));
        using var csv = new CsvReader(new StringReader(System.Text.Encoding.UTF8.GetString(bytes)), CultureInfo.InvariantCulture);
        var rows = csv.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(31, rows.Count);
        Assert.Equal(26_686_000_000L, rows.Sum(r => long.Parse((string)r["amount_yuan"], CultureInfo.InvariantCulture)));
        Assert.All(rows, r => Assert.Equal(long.Parse((string)r["amount_yuan"], CultureInfo.InvariantCulture) / 10_000m, decimal.Parse((string)r["amount_wan_yuan"], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task The_spreadsheet_export_is_an_xlsx_file()
    {
        await RunsAsync();

        using var response = await GetAsync("/api/ledger/export?fiscalYear=2026&format=xlsx");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((byte)'P', bytes[0]);
        Assert.Equal((byte)'K', bytes[1]);
    }

    [Fact]
    public async Task Verify_reports_the_runs_of_a_year_intact()
    {
        var runs = await RunsAsync();

        var report = (await JsonAsync("/api/ledger/verify?fiscalYear=2026")).EnumerateArray().ToList();

        Assert.All(runs, id => Assert.Contains(report, r => r.GetProperty("runId").GetString() == id && r.GetProperty("intact").GetBoolean()));
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("province:44", HttpStatusCode.Forbidden)]
    [InlineData("approver", HttpStatusCode.Forbidden)]
    public async Task Only_auditors_and_finance_officers_read_the_ledger(string? role, HttpStatusCode expected)
    {
        foreach (var path in new[] { "/api/ledger?fiscalYear=2026", "/api/ledger/totals?fiscalYear=2026", "/api/ledger/export?fiscalYear=2026", "/api/ledger/verify" })
        {
            using var response = await GetAsync(path, role);
            Assert.Equal(expected, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_query_without_a_fiscal_year_is_a_problem()
    {
        using var response = await GetAsync("/api/ledger?program=moon");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("fiscalYear", body, StringComparison.Ordinal);
        Assert.Contains("program", body, StringComparison.Ordinal);
    }
}
