using System.Diagnostics;
using System.Net;
using System.Text.Json;
using GrantFlow.Workflows.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace GrantFlow.Integration.Tests;

/// <summary>What an operator's trace exporter receives for one run (in memory here; Azure Monitor or OTLP when deployed).</summary>
public abstract class TelemetryTests(EngineFixture fixture)
{
    [Fact]
    public async Task One_trace_runs_from_the_http_request_through_the_orchestration_to_every_notice()
    {
        var spans = new List<Activity>();
        using var tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource(GrantFlowTelemetry.Name, "Microsoft.DurableTask")
            .AddAspNetCoreInstrumentation()
            .AddInMemoryExporter(spans)
            .Build();

        using var parameters = JsonDocument.Parse(fixture.ParametersFor("service-capacity"));
        var (status, body) = await fixture.CallAsync(HttpMethod.Post, "/api/runs", "finance-officer", "official.li", new { parameters = parameters.RootElement, provincesCsv = EngineFixture.ProvincesCsv });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var runId = body.GetProperty("runId").GetString()!;
        await fixture.ApproveAndCompleteAsync(runId);
        tracer.ForceFlush();

        bool OfRun(Activity a) => a.GetTagItem(GrantFlowTelemetry.RunIdTag) as string == runId;
        var ledger = Assert.Single(spans, a => a.DisplayName == "grantflow write ledger" && OfRun(a));
        var trace = ledger.TraceId;
        var request = Assert.Single(spans, a => a.TraceId == trace && a.Kind == ActivityKind.Server && a.GetTagItem("url.path") as string == "/api/runs");
        Assert.Equal("POST", request.GetTagItem("http.request.method"));
        Assert.Equal(default, request.ParentSpanId); // the request is the trace's root
        Assert.Contains(spans, a => a.TraceId == trace && a.Source.Name == "Microsoft.DurableTask"); // the orchestration and its activities
        foreach (var step in new[] { "grantflow compute allocation", "grantflow send notices", "grantflow complete run" })
        {
            Assert.Contains(spans, a => a.TraceId == trace && a.DisplayName == step && OfRun(a));
        }

        var notices = spans.Where(a => a.TraceId == trace && a.DisplayName == "grantflow send message").Select(a => a.GetTagItem(GrantFlowTelemetry.NoticeNumberTag) as string).ToList();
        Assert.Equal(31, notices.Distinct().Count());
        Assert.All(notices, n => Assert.False(string.IsNullOrEmpty(n)));
    }
}
