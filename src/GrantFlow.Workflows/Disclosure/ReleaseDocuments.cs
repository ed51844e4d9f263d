using GrantFlow.Domain.Ledger;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsvHelper;
using GrantFlow.Domain.Disclosure;

namespace GrantFlow.Workflows.Disclosure;

/// <summary>
/// The published files and where they live in the public container: <c>releases/{run}.json</c> and <c>.csv</c> (UTF-8
/// with BOM, Chinese headers), <c>index/{year}.json</c> (the year's releases, newest first) and <c>feed.atom</c>.
/// </summary>
public static class ReleaseDocuments
{
    public const string FeedPath = "feed.atom";

    /// <summary>The most releases the feed carries (the newest); the yearly indexes carry all.</summary>
    public const int FeedSize = 100;

    /// <summary>The largest published file a reader accepts (a pass-down of ~3,000 counties is about 1 MB of JSON).</summary>
    public const int MaxDocumentBytes = 8 * 1024 * 1024;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // Chinese as itself; the files are served as JSON, not into HTML
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string ReleaseJsonPath(string runId) => $"releases/{runId}.json";

    public static string ReleaseCsvPath(string runId) => $"releases/{runId}.csv";

    /// <summary>The newest <see cref="FeedSize"/> releases of every year, newest first: what the feed is written from.</summary>
    public const string LatestPath = "index/latest.json";

    public static string IndexPath(int fiscalYear) => string.Create(CultureInfo.InvariantCulture, $"index/{fiscalYear}.json");

    /// <summary>The content type a published path is served with (null: not a path of the public container).</summary>
    public static string? ContentType(string path) => Path.GetExtension(path) switch
    {
        ".json" => "application/json; charset=utf-8",
        ".csv" => "text/csv; charset=utf-8",
        ".atom" => "application/atom+xml; charset=utf-8",
        _ => null,
    };

    public static byte[] ToJson<T>(T document) => JsonSerializer.SerializeToUtf8Bytes(document, Json);

    public static T? FromJson<T>(ReadOnlySpan<byte> content) => JsonSerializer.Deserialize<T>(content, Json);

    /// <summary>The release as CSV: one line per entry, UTF-8 with BOM (Excel opens it as Chinese), Chinese headers.</summary>
    public static byte[] ToCsv(PublishedRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var header in CsvHeaders)
            {
                csv.WriteField(header);
            }

            csv.NextRecord();
            foreach (var line in release.Lines.OrderBy(l => l.Sequence))
            {
                foreach (var field in new object[] { release.FiscalYear, release.ProgramName, KindNames.Chinese(release.RunKind), release.PayerName, line.Sequence, line.RecipientCode, line.RecipientName, KindNames.Chinese(line.Kind), line.AmountYuan, line.NoticeNumber, release.RunId, line.EntryHash, release.ReceiptRoot })
                {
                    csv.WriteField(field);
                }

                csv.NextRecord();
            }
        }

        return stream.ToArray();
    }

    public static readonly IReadOnlyList<string> CsvHeaders = ["年度", "项目", "下达类型", "拨付方", "序号", "收款地区代码", "收款地区", "款项类别", "金额（元）", "通知书编号", "批次编号", "账目哈希", "批次根哈希"];
}
