using System.Net;
using System.Text;
using GrantFlow.Domain.Disclosure;
using GrantFlow.Domain.Receipts;
using GrantFlow.Workflows.Disclosure;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>Public disclosure and receipts end to end: a released run published as open data, read by anyone, each notice provable against it.</summary>
public abstract class DisclosureTests(EngineFixture fixture)
{
    private async Task<(HttpStatusCode Status, string? ContentType, byte[] Body)> ReadPublicAsync(string path)
    {
        using var response = await fixture.SendAsync(HttpMethod.Get, "/api/public/" + path, role: null);
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_released_run_is_published_for_anyone_and_every_notice_proves_itself_against_it()
    {
        var runId = await fixture.CompleteRunAsync("service-capacity");
        var record = (await fixture.Runs.GetRecordAsync(runId))!;
        Assert.True(record.PublishedAt is not null, record.PublicationFailure ?? record.StageTimings);
        Assert.Null(record.PublicationFailure);
        Assert.Matches("^[0-9a-f]{64}$", record.ReceiptRoot);

        var json = await ReadPublicAsync($"releases/{runId}.json");
        Assert.Equal((HttpStatusCode.OK, "application/json; charset=utf-8"), (json.Status, json.ContentType));
        var release = ReleaseDocuments.FromJson<PublishedRelease>(json.Body)!;
        Assert.Equal((runId, "central", "中央财政", 31), (release.RunId, release.Payer, release.PayerName, release.Lines.Count));
        Assert.Equal((record.ReceiptRoot, record.LedgerHeadHash, record.TotalYuan), (release.ReceiptRoot, release.ChainHead, release.TotalYuan));
        Assert.Equal(release.ReceiptRoot, release.ComputedRoot());
        Assert.Equal(record.TotalYuan, release.Lines.Sum(l => l.AmountYuan));
        Assert.False(release.Late);
        Assert.Equal(record.PublishedAt, release.PublishedAt);
        Assert.Contains("北京", release.Lines.Single(l => l.RecipientCode == "11").RecipientName, StringComparison.Ordinal);
        Assert.NotNull(release.Formula);
        var text = Encoding.UTF8.GetString(json.Body);
        foreach (var person in new[] { "official.li", "reviewer.wang", "approver.zhao" })
        {
            Assert.DoesNotContain(person, text, StringComparison.Ordinal); // nothing personal is published
        }

        // The root is in the external anchor; each province's notice proves itself against the publication.
        var anchor = await fixture.Engine.Services.GetRequiredService<LedgerAnchorStore>().ReadAsync(record.FiscalYear, runId);
        Assert.Equal(record.ReceiptRoot, anchor!.ReceiptRoot);
        var outbox = fixture.Engine.Services.GetRequiredService<NoticeOutbox>();
        foreach (var province in new[] { "11", "44", "65" })
        {
            var notice = (await outbox.ListForProvinceAsync(province)).Single(n => n.RunId == runId);
            var check = ReceiptVerifier.Verify(notice.Claim(), release);
            Assert.True(check.Verified, string.Join("; ", check.Findings.Select(f => f.Message)));
            Assert.False(ReceiptVerifier.Verify(notice.Claim() with { AmountYuan = notice.AmountYuan + 1 }, release).Verified);
        }

        var inbox = await fixture.CallAsync(HttpMethod.Get, "/api/provinces/11/notices", "province:11", "beijing");
        Assert.Contains(inbox.Body.EnumerateArray(), n => n.ToString().Contains(record.ReceiptRoot!, StringComparison.Ordinal)); // the inbox carries the receipt

        var csv = await ReadPublicAsync($"releases/{runId}.csv");
        Assert.Equal("text/csv; charset=utf-8", csv.ContentType);
        Assert.Equal([0xEF, 0xBB, 0xBF], csv.Body[..3]);
        var lines = Encoding.UTF8.GetString(csv.Body[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(",", ReleaseDocuments.CsvHeaders), lines[0]);
        Assert.Equal(32, lines.Length);

        var index = await ReadPublicAsync($"index/{record.FiscalYear}.json");
        Assert.Contains(ReleaseDocuments.FromJson<PublishedIndex>(index.Body)!.Releases, r => r.RunId == runId && r.ReceiptRoot == record.ReceiptRoot);
        var feed = await ReadPublicAsync("feed.atom");
        Assert.Equal((HttpStatusCode.OK, "application/atom+xml; charset=utf-8"), (feed.Status, feed.ContentType));
        Assert.Contains(runId, ReleaseFeed.RunIds(feed.Body));
    }

    [Fact]
    public async Task Publishing_again_changes_nothing_only_finance_officers_may_and_nothing_else_is_public()
    {
        var runId = await fixture.CompleteRunAsync("service-capacity");
        var first = (await fixture.Runs.GetRecordAsync(runId))!.PublishedAt;
        var before = (await ReadPublicAsync($"releases/{runId}.json")).Body;

        using (var anonymous = await fixture.SendAsync(HttpMethod.Post, $"/api/runs/{runId}/publication", role: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.CallAsync(HttpMethod.Post, $"/api/runs/{runId}/publication", "auditor", "auditor.chen")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.CallAsync(HttpMethod.Post, $"/api/runs/{runId}/publication", "province:11", "beijing")).Status);
        var again = await fixture.CallAsync(HttpMethod.Post, $"/api/runs/{runId}/publication", "finance-officer", "official.li");
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first, again.Body.GetProperty("publishedAt").GetDateTimeOffset());
        Assert.Equal(before, (await ReadPublicAsync($"releases/{runId}.json")).Body); // the first publication stands
        Assert.Equal(first, (await fixture.Runs.GetRecordAsync(runId))!.PublishedAt);

        var unknown = await fixture.CallAsync(HttpMethod.Post, $"/api/runs/{new string('0', 32)}/publication", "finance-officer", "official.li");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.CallAsync(HttpMethod.Post, "/api/runs/not-a-run/publication", "finance-officer", "official.li")).Status);

        // Only the published files, read-only: no other path of the container, no other verb, no traversal.
        foreach (var path in new[] { $"releases/{runId}.xml", $"releases/{runId.ToUpperInvariant()}.json", "releases/..%2F..%2Fsecret.json", "index/20x6.json", "index/latest.csv", $"releases/{new string('0', 32)}.json" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await ReadPublicAsync(path)).Status);
        }

        using var write = await fixture.SendAsync(HttpMethod.Put, $"/api/public/releases/{runId}.json", role: null, body: new { amount = 1 });
        Assert.True(write.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, write.StatusCode.ToString());
        Assert.Equal(before, (await ReadPublicAsync($"releases/{runId}.json")).Body);

        // Someone with the storage account's keys edits the published file: the ledger's verification says so.
        Assert.True((await fixture.CallAsync(HttpMethod.Get, $"/api/ledger/verify?runId={runId}", "auditor", "auditor.chen")).Body[0].GetProperty("intact").GetBoolean());
        var edited = System.Text.Json.Nodes.JsonNode.Parse(before)!;
        edited["lines"]![0]!["amountYuan"] = edited["lines"]![0]!["amountYuan"]!.GetValue<long>() - 1_000_000;
        var blob = new Azure.Storage.Blobs.BlobServiceClient(fixture.StorageConnectionString).GetBlobContainerClient("disclosures").GetBlobClient($"releases/{runId}.json");
        await blob.UploadAsync(BinaryData.FromString(edited.ToJsonString()), overwrite: true);
        var verified = (await fixture.CallAsync(HttpMethod.Get, $"/api/ledger/verify?runId={runId}", "auditor", "auditor.chen")).Body[0];
        Assert.False(verified.GetProperty("intact").GetBoolean());
        Assert.Contains(verified.GetProperty("problems").EnumerateArray(), p => p.GetProperty("kind").GetString() == "published" && p.GetProperty("message").GetString()!.Contains("edited after publication", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_not_yet_released_is_not_published()
    {
        var run = await fixture.Runs.StartAsync(fixture.ParametersFor("resident-insurance"), EngineFixture.ProvincesCsv, "official.li", TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(500));
        var refused = await fixture.CallAsync(HttpMethod.Post, $"/api/runs/{run.RunId}/publication", "finance-officer", "official.li");
        Assert.Equal((HttpStatusCode.Conflict, "conflict.not-released"), (refused.Status, refused.Body.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await ReadPublicAsync($"releases/{run.RunId}.json")).Status);
    }

    private static async Task<(int Exit, string Out, string Err)> GrantFlowAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GrantFlow.Cli.GrantFlowCli.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_province_proves_its_notice_offline_and_every_tampering_is_named()
    {
        var runId = await fixture.CompleteRunAsync("medical-assistance");
        var inbox = await fixture.CallAsync(HttpMethod.Get, "/api/provinces/44/notices", "province:44", "guangdong");
        var items = inbox.Body.EnumerateArray().Where(n => n.GetProperty("runId").GetString() == runId).ToList(); // an inbox item is the notice with its acknowledgement
        var folder = Directory.CreateTempSubdirectory("gf-receipt-").FullName;
        var noticeFile = Path.Combine(folder, "notice.json");
        await File.WriteAllTextAsync(noticeFile, Assert.Single(items).ToString());
        var published = Path.Combine(folder, "published");
        Directory.CreateDirectory(Path.Combine(published, "releases"));
        var releasePath = Path.Combine(published, "releases", runId + ".json");
        await File.WriteAllBytesAsync(releasePath, (await ReadPublicAsync($"releases/{runId}.json")).Body);

        var byAddress = await GrantFlowAsync("receipt", "verify", noticeFile, "--published", new Uri(fixture.Http.BaseAddress!, "api/public").AbsoluteUri);
        Assert.True(byAddress.Exit == 0, byAddress.Out + byAddress.Err);
        Assert.Contains("recorded and published", byAddress.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await GrantFlowAsync("receipt", "verify", noticeFile, "--published", published)).Exit);
        Assert.Equal(0, (await GrantFlowAsync("receipt", "verify", noticeFile)).Exit);

        var notice = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(noticeFile))!;
        async Task<(int Exit, string Out, string Err)> TamperedAsync(Action<System.Text.Json.Nodes.JsonNode> tamper)
        {
            var copy = notice.DeepClone();
            tamper(copy);
            var file = Path.Combine(folder, $"tampered-{Guid.NewGuid():N}.json");
            await File.WriteAllTextAsync(file, copy.ToJsonString());
            return await GrantFlowAsync("receipt", "verify", file, "--published", published);
        }

        var amount = await TamperedAsync(n => n["amountYuan"] = n["amountYuan"]!.GetValue<long>() + 10_000);
        Assert.Equal(1, amount.Exit);
        Assert.Contains("[notice.changed] the notice's amount", amount.Out, StringComparison.Ordinal);
        var root = await TamperedAsync(n => n["receipt"]!["root"] = new string('b', 64));
        Assert.Contains("[receipt.root-changed]", root.Out, StringComparison.Ordinal);
        var otherNotice = (await fixture.CallAsync(HttpMethod.Get, "/api/provinces/45/notices", "province:45", "guangxi")).Body.EnumerateArray()
            .Single(n => n.GetProperty("runId").GetString() == runId).GetProperty("receipt");
        var borrowed = await TamperedAsync(n => n["receipt"] = System.Text.Json.Nodes.JsonNode.Parse(otherNotice.GetRawText()));
        Assert.Contains("[receipt.proof-mismatch]", borrowed.Out, StringComparison.Ordinal);
        Assert.Equal(ReceiptFindings.NoReceipt, Assert.Single(ReceiptVerifier.Verify(System.Text.Json.JsonSerializer.Deserialize<GrantFlow.Domain.Notices.DisbursementNotice>(notice, ReleaseDocuments.Json)!.Claim() with { Receipt = null }).Findings).Code);

        // The published copy edited after the fact: another province's amount raised.
        var edited = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(releasePath))!;
        var line = edited["lines"]!.AsArray().First(l => l!["recipientCode"]!.GetValue<string>() == "11")!;
        line["amountYuan"] = line["amountYuan"]!.GetValue<long>() + 1;
        await File.WriteAllTextAsync(releasePath, edited.ToJsonString());
        var afterEdit = await GrantFlowAsync("receipt", "verify", noticeFile, "--published", published);
        Assert.Equal(1, afterEdit.Exit);
        Assert.Contains("[published.edited]", afterEdit.Out, StringComparison.Ordinal);

        // What cannot be read exits 2.
        Assert.Equal(2, (await GrantFlowAsync("receipt", "verify", Path.Combine(folder, "missing.json"))).Exit);
        await File.WriteAllTextAsync(Path.Combine(folder, "not.json"), "{ not json");
        Assert.Equal(2, (await GrantFlowAsync("receipt", "verify", Path.Combine(folder, "not.json"))).Exit);
        Assert.Equal(2, (await GrantFlowAsync("receipt", "verify", noticeFile, "--published", Path.Combine(folder, "nowhere"))).Exit);
    }
}
