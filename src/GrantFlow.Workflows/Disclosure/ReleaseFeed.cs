using System.Globalization;
using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using GrantFlow.Domain.Disclosure;

namespace GrantFlow.Workflows.Disclosure;

/// <summary>The Atom feed of published releases (the newest <see cref="ReleaseDocuments.FeedSize"/>), links relative to the feed.</summary>
public static class ReleaseFeed
{
    public const string FeedId = "urn:grantflow:releases";

    public static byte[] Write(IEnumerable<PublishedSummary> releases, DateTimeOffset updated)
    {
        ArgumentNullException.ThrowIfNull(releases);
        var items = releases.OrderByDescending(r => r.PublishedAt).ThenBy(r => r.RunId, StringComparer.Ordinal).Take(ReleaseDocuments.FeedSize).Select(Item).ToList();
        var feed = new SyndicationFeed("转移支付下达公开信息", "中央对地方转移支付及省对下转移支付的下达情况（GrantFlow）", null, FeedId, items.Count > 0 ? items.Max(i => i.LastUpdatedTime) : updated)
        {
            Language = "zh-CN",
            Items = items,
        };
        feed.Links.Add(new SyndicationLink(new Uri(ReleaseDocuments.FeedPath, UriKind.Relative), "self", null, "application/atom+xml", 0));
        feed.Authors.Add(new SyndicationPerson { Name = "财政部门" });
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            new Atom10FeedFormatter(feed).WriteTo(writer);
        }

        return stream.ToArray();
    }

    /// <summary>The run ids of a feed's entries, newest first (tests and the CLI read the feed back with the same library).</summary>
    public static IReadOnlyList<string> RunIds(byte[] atom)
    {
        using var reader = XmlReader.Create(new MemoryStream(atom), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        return [.. SyndicationFeed.Load(reader).Items.Select(i => i.Id.StartsWith(ItemPrefix, StringComparison.Ordinal) ? i.Id[ItemPrefix.Length..] : i.Id)];
    }

    private const string ItemPrefix = "urn:grantflow:release:";

    private static SyndicationItem Item(PublishedSummary r)
    {
        var title = string.Create(CultureInfo.InvariantCulture, $"{r.FiscalYear}年{r.ProgramName}（{Domain.Ledger.KindNames.Chinese(r.RunKind)}，{r.PayerName}）");
        var summary = string.Create(CultureInfo.InvariantCulture, $"{r.PayerName}向 {r.Recipients} 个地区下达 {r.TotalYuan:N0} 元；批准于 {r.ApprovedAt:yyyy-MM-dd}，公开于 {r.PublishedAt:yyyy-MM-dd}（第 {r.DaysToPublish} 天{(r.Late ? "，超过 20 日时限" : string.Empty)}）；根哈希 {r.ReceiptRoot}。");
        var item = new SyndicationItem(title, summary, new Uri(ReleaseDocuments.ReleaseJsonPath(r.RunId), UriKind.Relative), ItemPrefix + r.RunId, r.PublishedAt)
        {
            PublishDate = r.PublishedAt,
        };
        item.Links.Add(new SyndicationLink(new Uri(ReleaseDocuments.ReleaseCsvPath(r.RunId), UriKind.Relative), "alternate", "CSV", "text/csv", 0));
        return item;
    }
}
