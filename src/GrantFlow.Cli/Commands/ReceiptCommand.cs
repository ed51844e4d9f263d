using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GrantFlow.Domain.Disclosure;
using GrantFlow.Domain.Notices;
using GrantFlow.Domain.Receipts;
using GrantFlow.Workflows.Disclosure;

namespace GrantFlow.Cli.Commands;

/// <summary>
/// <c>grantflow receipt verify NOTICE.json --published DIR-or-URL</c>: proves offline, without GrantFlow's storage,
/// that a notice is what was recorded (its receipt's path leads from its figures to its run's root) and what was
/// published (the run's published release still hashes to that root and lists the notice as it is). Exit 0 verified,
/// 1 not verified (each finding says which check broke), 2 a file or address that cannot be read.
/// </summary>
public static class ReceiptCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Command Create()
    {
        var noticeArgument = new Argument<FileInfo>("notice") { Description = "The notice as JSON (as the API, the inbox or `notices receive` gives it)." };
        var publishedOption = new Option<string?>("--published") { Description = "The published data: a folder holding releases/{run}.json, or its address (e.g. http://127.0.0.1:7071/api/public)." };
        var verify = new Command("verify", "Check a notice's receipt, and against the published release when --published is given.") { noticeArgument, publishedOption };
        verify.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var file = parse.GetValue(noticeArgument)!;
            DisbursementNotice notice;
            try
            {
                notice = ReadNotice(file);
            }
            catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException or InvalidDataException)
            {
                await error.WriteLineAsync($"{file.Name}: {ex.Message}");
                return GrantFlowCli.InvalidInput;
            }

            PublishedRelease? published = null;
            if (parse.GetValue(publishedOption) is { } source)
            {
                try
                {
                    published = await ReadPublishedAsync(source, notice.RunId, ct);
                }
                catch (Exception ex) when (ex is IOException or JsonException or HttpRequestException or UnauthorizedAccessException or InvalidDataException or UriFormatException)
                {
                    await error.WriteLineAsync($"the published release of run {notice.RunId}: {ex.Message}");
                    return GrantFlowCli.InvalidInput;
                }
            }

            var check = ReceiptVerifier.Verify(notice.Claim(), published);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"notice {notice.NoticeNumber}: {notice.ProvinceName} {notice.AmountYuan:N0} yuan ({notice.Kind}), run {notice.RunId}"));
            if (check.Verified)
            {
                await output.WriteLineAsync(published is null
                    ? $"receipt verified: the notice leads to root {notice.Receipt!.Root} (not compared with a publication; give --published)"
                    : $"receipt verified: recorded and published - root {notice.Receipt!.Root}, published {published.PublishedAt:yyyy-MM-dd}{(published.Late ? $" ({published.DaysToPublish} days after approval: later than {PublishedRelease.DeadlineDays})" : string.Empty)}");
                return GrantFlowCli.Success;
            }

            foreach (var finding in check.Findings)
            {
                await output.WriteLineAsync($"NOT VERIFIED [{finding.Code}] {finding.Message}");
            }

            return GrantFlowCli.Failure;
        });
        return new Command("receipt", "Receipts: prove a notice against its run's root and publication, offline.") { verify };
    }

    /// <summary>A notice file: the notice itself, or an inbox item that holds it under <c>notice</c>.</summary>
    internal static DisbursementNotice ReadNotice(FileInfo file)
    {
        if (file.Exists && file.Length > ReleaseDocuments.MaxDocumentBytes)
        {
            throw new InvalidDataException($"the file is {file.Length} bytes; a notice is a few kilobytes.");
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(file.FullName));
        var root = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("notice", out var inner) ? inner : document.RootElement;
        return root.Deserialize<DisbursementNotice>(Json) ?? throw new InvalidDataException("the file holds no notice.");
    }

    internal static async Task<PublishedRelease> ReadPublishedAsync(string source, string runId, CancellationToken cancellationToken)
    {
        if (!Domain.Validation.Identifiers.IsRunId(runId))
        {
            throw new InvalidDataException($"the notice's run id {runId} is not a run id.");
        }

        var path = ReleaseDocuments.ReleaseJsonPath(runId);
        byte[] content;
        if (Uri.TryCreate(source, UriKind.Absolute, out var address) && address.Scheme is "http" or "https")
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            using var response = await http.GetAsync(new Uri(address.AbsoluteUri.TrimEnd('/') + "/" + path), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{(int)response.StatusCode} from {address.AbsoluteUri.TrimEnd('/')}/{path}: run {runId} is not published there.");
            }

            if (response.Content.Headers.ContentLength > ReleaseDocuments.MaxDocumentBytes)
            {
                throw new InvalidDataException($"the published file is over {ReleaseDocuments.MaxDocumentBytes} bytes.");
            }

            content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        else
        {
            var file = new FileInfo(Path.Combine(source, path));
            if (!file.Exists)
            {
                throw new FileNotFoundException($"{file.FullName} does not exist: run {runId} is not in that folder.");
            }

            if (file.Length > ReleaseDocuments.MaxDocumentBytes)
            {
                throw new InvalidDataException($"{file.FullName} is over {ReleaseDocuments.MaxDocumentBytes} bytes.");
            }

            content = await File.ReadAllBytesAsync(file.FullName, cancellationToken);
        }

        return ReleaseDocuments.FromJson<PublishedRelease>(content) ?? throw new InvalidDataException("the published file holds no release.");
    }
}
