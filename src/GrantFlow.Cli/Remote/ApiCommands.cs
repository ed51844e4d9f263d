using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using GrantFlow.Contracts;

namespace GrantFlow.Cli.Remote;

/// <summary>
/// The operations officials, approvers and provinces perform, from the command line, through the GrantFlow API:
/// <c>runs start|show|decide|watch</c>, <c>settle</c>, <c>correct</c>, <c>notices list|ack</c>. Files are read as
/// Excel saves them (UTF-8 with or without BOM, GB18030/GBK). Exit codes: <see cref="ServerAnswer.ExitCode"/>, and
/// <see cref="GrantFlowCli.RunNotCompleted"/> from <c>runs watch</c> for a run that ended without releasing.
/// </summary>
public static partial class ApiCommands
{
    public static Command Runs()
    {
        var paramsOption = new Option<FileInfo>("--params") { Description = "Run-parameters JSON.", Required = true };
        var provincesOption = new Option<FileInfo>("--provinces") { Description = "Province data: CSV (UTF-8, with or without BOM, or GB18030/GBK) or an Excel workbook (.xlsx, its first sheet).", Required = true };
        var releaseOption = new Option<string?>("--release") { Description = "advance (default) or remainder." };
        var timeoutOption = new Option<TimeSpan?>("--approval-timeout") { Description = "How long each approval stage may wait (e.g. 7.00:00:00)." };
        var exceptionOption = new Option<string?>("--advance-exception") { Description = "Why an advance goes below the advance-ratio minimum (approved with the run)." };
        var start = new Command("start", "Start an allocation run (finance officer); prints the run id.") { paramsOption, provincesOption, releaseOption, timeoutOption, exceptionOption };
        ServerOptions.AddTo(start);
        start.SetAction((parse, ct) => CallAsync(parse, async (server, token) =>
        {
            var provinces = parse.GetValue(provincesOption)!;
            var body = new JsonObject { ["parameters"] = ReadJson(parse.GetValue(paramsOption)!, "params") };
            if (IsWorkbook(provinces))
            {
                body["provincesXlsx"] = Convert.ToBase64String(ReadBytes(provinces, "provinces")); // read by the server, which names sheet, row and column
            }
            else
            {
                body["provincesCsv"] = ReadCsv(provinces);
            }

            if (parse.GetValue(releaseOption) is { } release)
            {
                body["release"] = release;
            }

            if (parse.GetValue(timeoutOption) is { } timeout)
            {
                body["approvalTimeout"] = timeout.ToString("c", CultureInfo.InvariantCulture);
            }

            if (parse.GetValue(exceptionOption) is { } exception)
            {
                body["advanceException"] = exception;
            }

            return await server.PostAsync(ApiRoutes.Fill(ApiRoutes.Runs), body, token);
        }, (answer, output) => output.WriteLine(answer.Read<RunRecord>().RunId), ct));

        var runIdArgument = new Argument<string>("run-id") { Description = "The run id." };
        var show = new Command("show", "Show a run: status, progress, decisions.") { runIdArgument };
        ServerOptions.AddTo(show);
        show.SetAction((parse, ct) => CallAsync(parse, (server, token) => server.GetAsync(ApiRoutes.Fill(ApiRoutes.Run, ("runId", parse.GetValue(runIdArgument)!)), token), (answer, output) => WriteRun(answer.Read<RunDetail>(), output), ct));

        var stageOption = new Option<string>("--stage") { Description = "review or approval.", Required = true };
        var approveOption = new Option<bool>("--approve") { Description = "Approve the stage." };
        var rejectOption = new Option<bool>("--reject") { Description = "Reject the stage (needs --reason)." };
        var reasonOption = new Option<string?>("--reason") { Description = "Why (required to reject)." };
        var decide = new Command("decide", "Decide a stage of a run (approver; not the initiator, not both stages).") { runIdArgument, stageOption, approveOption, rejectOption, reasonOption };
        decide.Validators.Add(result =>
        {
            if (result.GetValue(approveOption) == result.GetValue(rejectOption))
            {
                result.AddError("give exactly one of --approve or --reject.");
            }
        });
        ServerOptions.AddTo(decide);
        decide.SetAction((parse, ct) => CallAsync(
            parse,
            (server, token) => server.PostAsync(
                ApiRoutes.Fill(ApiRoutes.Decisions, ("runId", parse.GetValue(runIdArgument)!)),
                new DecisionBody(parse.GetValue(stageOption)!, parse.GetValue(approveOption) ? DecisionWords.Approve : DecisionWords.Reject, parse.GetValue(reasonOption)),
                token),
            (answer, output) => output.WriteLine(answer.Read<DecisionResult>().Message),
            ct));

        var intervalOption = new Option<TimeSpan>("--interval") { Description = "How often to look.", DefaultValueFactory = _ => TimeSpan.FromSeconds(1) };
        var watch = new Command("watch", "Follow a run until it ends; exit 0 when completed, 5 when rejected, expired or failed.") { runIdArgument, intervalOption };
        ServerOptions.AddTo(watch);
        watch.SetAction(WatchAsync(runIdArgument, intervalOption));

        return new Command("runs", "Allocation runs through the GrantFlow API.") { start, show, decide, watch };
    }

    public static Command Settle()
    {
        var paramsOption = new Option<FileInfo>("--params") { Description = "The advance's run-parameters JSON (program, year, formula).", Required = true };
        var actualsOption = new Option<FileInfo>("--actuals") { Description = "Province CSV of actual figures.", Required = true };
        var command = new Command("settle", "Start the settlement of a past year's advance (finance officer); prints the run id.") { paramsOption, actualsOption };
        ServerOptions.AddTo(command);
        command.SetAction((parse, ct) => CallAsync(
            parse,
            (server, token) => server.PostAsync(ApiRoutes.Fill(ApiRoutes.Settlements), new JsonObject { ["parameters"] = ReadJson(parse.GetValue(paramsOption)!, "params"), ["provincesCsv"] = ReadCsv(parse.GetValue(actualsOption)!) }, token),
            (answer, output) => output.WriteLine(answer.Read<RunRecord>().RunId),
            ct));
        return command;
    }

    public static Command Correct()
    {
        var runOption = new Option<string>("--run") { Description = "The completed run whose entry is corrected.", Required = true };
        var provinceOption = new Option<string>("--province") { Description = "The province's code.", Required = true };
        var amountOption = new Option<long>("--amount") { Description = "The amount it should have been, in yuan.", Required = true };
        var reasonOption = new Option<string>("--reason") { Description = "Why.", Required = true };
        var command = new Command("correct", "Start the correction of one province's entry (finance officer); prints the run id.") { runOption, provinceOption, amountOption, reasonOption };
        ServerOptions.AddTo(command);
        command.SetAction((parse, ct) => CallAsync(
            parse,
            (server, token) => server.PostAsync(ApiRoutes.Fill(ApiRoutes.Corrections), new CorrectionRequest(parse.GetValue(runOption)!, parse.GetValue(provinceOption)!, parse.GetValue(amountOption), parse.GetValue(reasonOption)!), token),
            (answer, output) => output.WriteLine(answer.Read<RunRecord>().RunId),
            ct));
        return command;
    }

    public static Command Notices()
    {
        var provinceOption = new Option<string>("--province") { Description = "The province's code.", Required = true };
        var recipient = new Option<string?>("--province") { Description = "The province's code." };
        var prefectureOption = new Option<string?>("--prefecture") { Description = "A prefecture's code (4 digits), instead of a province." };
        var countyOption = new Option<string?>("--county") { Description = "A county's code (6 digits), instead of a province." };
        string Recipient(ParseResult parse, string provinces, string prefectures, string counties, params (string, string)[] more) =>
            parse.GetValue(prefectureOption) is { } prefecture ? ApiRoutes.Fill(prefectures, [("code", prefecture), .. more])
            : parse.GetValue(countyOption) is { } county ? ApiRoutes.Fill(counties, [("code", county), .. more])
            : ApiRoutes.Fill(provinces, [("code", parse.GetValue(recipient)!), .. more]);
        void OneRecipient(Command command)
        {
            command.Validators.Add(result =>
            {
                if (new[] { result.GetValue(recipient), result.GetValue(prefectureOption), result.GetValue(countyOption) }.Count(v => v is not null) != 1)
                {
                    result.AddError("Give whose notices: --province CODE, --prefecture CODE or --county CODE, one of them.");
                }
            });
        }

        var list = new Command("list", "A province's, prefecture's or county's notices (the recipient, those above it, or an auditor).") { recipient, prefectureOption, countyOption };
        OneRecipient(list);
        ServerOptions.AddTo(list);
        list.SetAction((parse, ct) => CallAsync(parse, (server, token) => server.GetAsync(Recipient(parse, ApiRoutes.ProvinceNotices, ApiRoutes.PrefectureNotices, ApiRoutes.CountyNotices), token), (answer, output) => WriteNotices(answer.Read<List<InboxNotice>>(), output), ct));

        var noticeOption = new Option<string>("--notice") { Description = "The notice number.", Required = true };
        var ack = new Command("ack", "Acknowledge receipt of a notice (the province, prefecture or county).") { recipient, prefectureOption, countyOption, noticeOption };
        OneRecipient(ack);
        ServerOptions.AddTo(ack);
        ack.SetAction((parse, ct) => CallAsync(
            parse,
            (server, token) => server.PostAsync(Recipient(parse, ApiRoutes.Acknowledgement, ApiRoutes.PrefectureAcknowledgement, ApiRoutes.CountyAcknowledgement, ("noticeNumber", parse.GetValue(noticeOption)!)), null, token),
            (answer, output) => output.WriteLine(Acknowledged(answer.Read<NoticeAcknowledgement>())),
            ct));
        var reasonOption = new Option<string>("--reason") { Description = "Why the notice is wrong.", Required = true };
        var figureOption = new Option<string[]>("--figure") { Description = "A figure believed wrong, as field=claimed (repeatable).", AllowMultipleArgumentsPerToken = true };
        var attachmentOption = new Option<string?>("--attachment") { Description = "A reference to the supporting document." };
        var dispute = new Command("dispute", "Dispute a notice within its window (the province).") { provinceOption, noticeOption, reasonOption, figureOption, attachmentOption };
        ServerOptions.AddTo(dispute);
        dispute.SetAction((parse, ct) => CallAsync(
            parse,
            (server, token) => server.PostAsync(
                ApiRoutes.Fill(ApiRoutes.OpenDispute, ("code", parse.GetValue(provinceOption)!), ("noticeNumber", parse.GetValue(noticeOption)!)),
                new DisputeBody(
                    parse.GetValue(reasonOption)!,
                    [.. (parse.GetValue(figureOption) ?? []).Select(f => f.Split('=', 2)).Select(p => new DisputedFigure(p[0], p.Length > 1 ? p[1] : string.Empty))],
                    parse.GetValue(attachmentOption)),
                token),
            (answer, output) => output.WriteLine(Opened(answer.Read<Dispute>())),
            ct));
        return new Command("notices", "Disbursement notices through the GrantFlow API.") { list, ack, dispute, Receive(provinceOption), QueueAccess(provinceOption) };
    }

    public static Command Disputes()
    {
        var statusOption = new Option<string?>("--status") { Description = "open, rejected or upheld." };
        var list = new Command("list", "Disputes of notices (finance officers, auditors).") { statusOption };
        ServerOptions.AddTo(list);
        list.SetAction((parse, ct) => CallAsync(
            parse,
            (server, token) => server.GetAsync(ApiRoutes.Fill(ApiRoutes.Disputes) + (parse.GetValue(statusOption) is { } status ? $"?status={Uri.EscapeDataString(status)}" : string.Empty), token),
            (answer, output) =>
            {
                foreach (var d in answer.Read<List<Dispute>>())
                {
                    output.WriteLine($"{d.NoticeNumber} ({d.ProvinceCode}): {d.Status} - {d.Reason}");
                }
            },
            ct));

        var provinceOption = new Option<string>("--province") { Description = "The province's code.", Required = true };
        var noticeOption = new Option<string>("--notice") { Description = "The disputed notice.", Required = true };
        var decisionOption = new Option<string>("--decision") { Description = "reject or uphold.", Required = true };
        var reasonOption = new Option<string>("--reason") { Description = "Why.", Required = true };
        var amountOption = new Option<long?>("--amount") { Description = "Upholding: the corrected amount in yuan." };
        var resolve = new Command("resolve", "Reject a dispute, or uphold it into a correction run (finance officer).") { provinceOption, noticeOption, decisionOption, reasonOption, amountOption };
        ServerOptions.AddTo(resolve);
        resolve.SetAction((parse, ct) => CallAsync(
            parse,
            (server, token) => server.PostAsync(
                ApiRoutes.Fill(ApiRoutes.DisputeResolution, ("code", parse.GetValue(provinceOption)!), ("noticeNumber", parse.GetValue(noticeOption)!)),
                new ResolutionBody(parse.GetValue(decisionOption)!, parse.GetValue(reasonOption)!, parse.GetValue(amountOption)),
                token),
            (answer, output) => output.WriteLine(Resolved(answer.Read<Dispute>())),
            ct));

        var chases = new Command("chases", "The notices still unacknowledged, most chased first (finance officers, auditors).");
        ServerOptions.AddTo(chases);
        chases.SetAction((parse, ct) => CallAsync(
            parse,
            (server, token) => server.GetAsync(ApiRoutes.Fill(ApiRoutes.Chases), token),
            (answer, output) =>
            {
                foreach (var c in answer.Read<List<OpenNotice>>())
                {
                    output.WriteLine($"{c.NoticeNumber} ({c.ProvinceCode}): sent {c.SentAt:yyyy-MM-dd}, chased {c.Chases}x, level {c.Level}");
                }
            },
            ct));

        return new Command("disputes", "Disputes and the chase list through the GrantFlow API.") { list, resolve, chases };
    }

    private static string Acknowledged(NoticeAcknowledgement ack) => $"{ack.NoticeNumber} acknowledged by {ack.AcknowledgedBy} at {ack.AcknowledgedAt:u}";

    private static string Opened(Dispute dispute) => $"{dispute.NoticeNumber} disputed: {dispute.Status}";

    private static string Resolved(Dispute dispute) => $"{dispute.Status}{(dispute.CorrectionRunId is { } run ? $"; correction run {run}" : string.Empty)}";
}
