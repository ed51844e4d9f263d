using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GrantFlow.Workflows.Notices;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>Provinces acknowledge notices; the monthly fund report reads the ledger and the acknowledgements.</summary>
public abstract class MonthlyReportTests(EngineFixture fixture)
{
    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string role, string user = "someone") => fixture.SendAsync(method, path, role, user);

    [Fact]
    public async Task The_report_shows_advances_outstanding_and_acknowledgements_by_province()
    {
        var runId = await fixture.CompleteRunAsync("service-capacity");
        var notice = Assert.Single(await fixture.Engine.Services.GetRequiredService<NoticeOutbox>().ListForProvinceAsync("44"), n => n.RunId == runId);
        var path = $"/api/provinces/44/notices/{notice.NoticeNumber}/acknowledgement";

        using var stranger = await SendAsync(HttpMethod.Post, path, "province:45");
        using var unknown = await SendAsync(HttpMethod.Post, "/api/provinces/44/notices/GF-2026-service-capacity-44-00000000/acknowledgement", "province:44");
        using var ack = await SendAsync(HttpMethod.Post, path, "province:44", "guangdong.finance");
        using var again = await SendAsync(HttpMethod.Post, path, "province:44", "someone.else");

        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.Contains("guangdong.finance", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal); // the first acknowledgement stands

        var month = DateTimeOffset.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        using var response = await SendAsync(HttpMethod.Get, $"/api/reports/monthly?fiscalYear=2026&month={month}", "auditor");
        var lines = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();

        Assert.Equal(31, lines.Count);
        Assert.Equal(3_505_000_000L, lines.Sum(l => l.GetProperty("advancedYuan").GetInt64()));
        Assert.Equal(3_505_000_000L, lines.Sum(l => l.GetProperty("outstandingYuan").GetInt64()));
        var guangdong = lines.Single(l => l.GetProperty("provinceCode").GetString() == "44");
        Assert.Equal(notice.AmountYuan, guangdong.GetProperty("advancedYuan").GetInt64());
        Assert.Equal(1, guangdong.GetProperty("noticesAcknowledged").GetInt32());
        Assert.Equal(0, guangdong.GetProperty("noticesUnacknowledged").GetInt32());
        Assert.Equal(30, lines.Sum(l => l.GetProperty("noticesUnacknowledged").GetInt32()));

        using var before = await SendAsync(HttpMethod.Get, "/api/reports/monthly?fiscalYear=2026&month=2025-01", "auditor");
        Assert.Empty(JsonDocument.Parse(await before.Content.ReadAsStringAsync()).RootElement.EnumerateArray());

        using var csv = await SendAsync(HttpMethod.Get, $"/api/reports/monthly?fiscalYear=2026&month={month}&format=csv", "auditor");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Contains("outstanding_yuan", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var province = await SendAsync(HttpMethod.Get, $"/api/reports/monthly?fiscalYear=2026&month={month}", "province:44");
        Assert.Equal(HttpStatusCode.Forbidden, province.StatusCode);
    }
}
