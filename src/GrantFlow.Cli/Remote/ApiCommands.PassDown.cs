using System.CommandLine;
using System.Text.Json.Nodes;
using GrantFlow.Contracts;

namespace GrantFlow.Cli.Remote;

/// <summary><c>grantflow passdown</c>: a province's notice to its counties or prefectures, a prefecture's to its counties, through the API.</summary>
public static partial class ApiCommands
{
    public static Command PassDown()
    {
        var provinceOption = new Option<string?>("--province") { Description = "The province passing its grant down." };
        var prefectureOption = new Option<string?>("--prefecture") { Description = "The prefecture (4-digit code) passing its grant down, instead of a province." };
        var noticeOption = new Option<string>("--notice") { Description = "The acknowledged notice passed down.", Required = true };
        var paramsOption = new Option<FileInfo>("--params") { Description = "Run-parameters JSON (formula and floor; program and year are the notice's).", Required = true };
        var countiesOption = new Option<FileInfo?>("--counties") { Description = "County CSV (6-digit codes under the payer; UTF-8 or GB18030/GBK)." };
        var prefecturesOption = new Option<FileInfo?>("--prefectures") { Description = "Prefecture CSV (4-digit codes under the province), to pass down through the cities instead of to the counties." };
        var retentionOption = new Option<decimal?>("--retention") { Description = "Share the payer keeps, 0 to 0.10." };
        var command = new Command("passdown", "Pass a notice down to the province's counties or prefectures, or a prefecture's counties; prints the run id.") { provinceOption, prefectureOption, noticeOption, paramsOption, countiesOption, prefecturesOption, retentionOption };
        command.Validators.Add(result =>
        {
            if (result.GetValue(provinceOption) is null == result.GetValue(prefectureOption) is null)
            {
                result.AddError("Give the payer: --province CODE or --prefecture CODE, one of the two.");
            }

            if (result.GetValue(countiesOption) is null == result.GetValue(prefecturesOption) is null)
            {
                result.AddError("Give the recipients: --counties FILE or --prefectures FILE, one of the two.");
            }
        });
        ServerOptions.AddTo(command);
        command.SetAction((parse, ct) => CallAsync(
            parse,
            (server, token) =>
            {
                var body = new JsonObject
                {
                    ["noticeNumber"] = parse.GetValue(noticeOption),
                    ["parameters"] = ReadJson(parse.GetValue(paramsOption)!, "params"),
                };
                if (parse.GetValue(countiesOption) is { } counties)
                {
                    body["countiesCsv"] = ReadCsv(counties);
                }
                else
                {
                    body["prefecturesCsv"] = ReadCsv(parse.GetValue(prefecturesOption)!);
                }

                if (parse.GetValue(retentionOption) is { } retention)
                {
                    body["retentionShare"] = retention;
                }

                return server.PostAsync(
                    parse.GetValue(prefectureOption) is { } prefecture
                        ? ApiRoutes.Fill(ApiRoutes.PrefecturePassDowns, ("code", prefecture))
                        : ApiRoutes.Fill(ApiRoutes.ProvincePassDowns, ("code", parse.GetValue(provinceOption)!)),
                    body,
                    token);
            },
            (answer, output) => output.WriteLine(answer.Read<RunRecord>().RunId),
            ct));
        return command;
    }
}
