using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using CsvHelper;
using GrantFlow.Contracts;
using GrantFlow.Domain.Disclosure;
using GrantFlow.Domain.Notices;
using GrantFlow.Domain.Receipts;

namespace GrantFlow.Cli.Remote;

/// <summary>What one drain of a province's queue did.</summary>
public sealed record ReceiveOutcome(int Recorded, int AlreadyRecorded, int Reminders, int Unverified, int Acknowledged, int AcknowledgeFailed);

/// <summary>
/// The province's side of its notice queue. Each message is, in this order: verified (its receipt, and against the
/// run's publication when one is given), recorded once in the folder (<c>notices/{number}.json</c>, written to a
/// temporary name and moved into place, so a file is whole or absent; a notice already there is not written again),
/// acknowledged through the API (idempotent), and only then deleted from the queue. A crash at any point leaves the
/// message on the queue (it comes back after its visibility timeout) and at most a recorded file: the next drain
/// skips the write, acknowledges and deletes. Nothing is lost and nothing is recorded twice. <c>notices.csv</c> (UTF-8
/// with BOM, Chinese headers) is rewritten from the recorded files after each batch, for the province's finance system.
/// </summary>
public sealed class NoticeReceiver(QueueClient queue, GrantFlowServer server, string province, DirectoryInfo folder, Func<string, Task<PublishedRelease?>>? published, TextWriter log, TimeSpan? visibilityTimeout = null)
{
    /// <summary>Crash test: the process kills itself after recording this many new notices, before acknowledging and deleting the last.</summary>
    public const string KillAfterVariable = "GRANTFLOW_RECEIVE_KILL_AFTER";

    /// <summary>How long a received message stays hidden from other receivers before it comes back (a crash's messages return after it).</summary>
    public static readonly TimeSpan DefaultVisibilityTimeout = TimeSpan.FromSeconds(30);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Dictionary<string, PublishedRelease?> _releases = new(StringComparer.Ordinal);
    private readonly int? _killAfter = int.TryParse(Environment.GetEnvironmentVariable(KillAfterVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    private int _recorded, _already, _reminders, _unverified, _acknowledged, _ackFailed;

    private string Notices => Path.Combine(folder.FullName, "notices");

    /// <summary>Receives until the queue shows nothing more (messages being handled elsewhere stay invisible to it).</summary>
    public async Task<ReceiveOutcome> DrainAsync(CancellationToken cancellationToken)
    {
        foreach (var sub in new[] { "notices", "reminders", "unverified" })
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, sub));
        }

        while (true)
        {
            QueueMessage[] batch = (await queue.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: visibilityTimeout ?? DefaultVisibilityTimeout, cancellationToken)).Value;
            if (batch.Length == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                await HandleAsync(message, cancellationToken);
            }

            WriteCsv();
        }

        WriteCsv();
        return new ReceiveOutcome(_recorded, _already, _reminders, _unverified, _acknowledged, _ackFailed);
    }

    private async Task HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var text = message.Body.ToString();
        DisbursementNotice? notice = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.TryGetProperty("reminderNumber", out var reminder) && reminder.GetString() is { Length: > 0 } number)
            {
                WriteOnce(Path.Combine(folder.FullName, "reminders", SafeName(number) + ".json"), text);
                _reminders++;
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                return;
            }

            notice = document.RootElement.Deserialize<DisbursementNotice>(Json);
        }
        catch (JsonException)
        {
            notice = null;
        }

        if (notice is null || notice.ProvinceCode != province || !Domain.Validation.Identifiers.IsRunId(notice.RunId))
        {
            await SetAsideAsync(message, "message-" + SafeName(message.MessageId), text, "not a notice to this province", cancellationToken);
            return;
        }

        var check = ReceiptVerifier.Verify(notice.Claim(), published is null ? null : await PublishedAsync(notice.RunId));
        if (!check.Verified)
        {
            await SetAsideAsync(message, SafeName(notice.NoticeNumber), text, string.Join(" ", check.Findings.Select(f => $"[{f.Code}] {f.Message}")), cancellationToken);
            return;
        }

        var path = Path.Combine(Notices, SafeName(notice.NoticeNumber) + ".json");
        if (WriteOnce(path, JsonSerializer.Serialize(notice, Json)))
        {
            _recorded++;
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"recorded {notice.NoticeNumber}: {notice.AmountYuan:N0} yuan, receipt verified{(check.CheckedAgainstPublication ? " against the publication" : string.Empty)}"));
            if (_recorded == _killAfter)
            {
                System.Diagnostics.Process.GetCurrentProcess().Kill(); // the crash test: recorded, neither acknowledged nor deleted
            }
        }
        else
        {
            _already++;
        }

        var answer = await server.PostAsync(ApiRoutes.Fill(ApiRoutes.Acknowledgement, ("code", province), ("noticeNumber", notice.NoticeNumber)), null, cancellationToken);
        if (!answer.Succeeded)
        {
            _ackFailed++;
            await log.WriteLineAsync($"{notice.NoticeNumber}: recorded, but the acknowledgement was refused ({answer.Describe()}); it stays on the queue and is acknowledged on a later run.");
            return;
        }

        _acknowledged++;
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
    }

    /// <summary>A message that is not this province's verified notice: kept in unverified/ with why, not acknowledged, taken off the queue.</summary>
    private async Task SetAsideAsync(QueueMessage message, string name, string text, string why, CancellationToken cancellationToken)
    {
        WriteOnce(Path.Combine(folder.FullName, "unverified", name + ".json"), text);
        WriteOnce(Path.Combine(folder.FullName, "unverified", name + ".why.txt"), why);
        _unverified++;
        await log.WriteLineAsync($"NOT recorded ({name}): {why}");
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
    }

    private async Task<PublishedRelease?> PublishedAsync(string runId)
    {
        if (!_releases.TryGetValue(runId, out var release))
        {
            release = _releases[runId] = await published!(runId);
        }

        return release;
    }

    /// <summary>Writes a whole file under its final name unless one is there; false when it was (another drain or an earlier one recorded it).</summary>
    private static bool WriteOnce(string path, string content)
    {
        if (File.Exists(path))
        {
            return false;
        }

        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, content, new UTF8Encoding(false));
        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }

    private static string SafeName(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));

    /// <summary>notices.csv from every recorded notice, for the province's finance system (written whole, then moved into place).</summary>
    private void WriteCsv()
    {
        var notices = Directory.EnumerateFiles(Notices, "*.json")
            .Select(f => JsonSerializer.Deserialize<DisbursementNotice>(File.ReadAllText(f), Json)!)
            .OrderBy(n => n.IssuedAt).ThenBy(n => n.NoticeNumber, StringComparer.Ordinal)
            .ToList();
        var temporary = Path.Combine(folder.FullName, $"notices.csv.{Guid.NewGuid():N}.tmp");
        using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(true)))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var header in new[] { "通知书编号", "项目", "年度", "款项类别", "金额（元）", "金额（万元）", "收入科目", "支出科目", "下达时间", "分解下达期限", "批次编号", "账目哈希", "根哈希" })
            {
                csv.WriteField(header);
            }

            csv.NextRecord();
            foreach (var n in notices)
            {
                foreach (var field in new object[] { n.NoticeNumber, n.ProgramNameZh, n.FiscalYear, GrantFlow.Domain.Ledger.KindNames.Chinese(n.Kind), n.AmountYuan, n.AmountWanYuan, n.IncomeClassificationCode, n.ExpenditureClassificationCode, n.IssuedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), n.PassDownDeadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), n.RunId, n.LedgerHash, n.Receipt?.Root ?? string.Empty })
                {
                    csv.WriteField(field);
                }

                csv.NextRecord();
            }
        }

        File.Move(temporary, Path.Combine(folder.FullName, "notices.csv"), overwrite: true);
    }
}
