using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace GrantFlow.Console.Tests;

/// <summary>
/// Each class of refusal a user can meet, in zh-CN: a bad file and bad parameters (refused in the browser), a
/// conflict, a bad identifier, a missing run and a step out of order (refused by the API) - each said in Chinese
/// from its code, with no English sentence in any error box.
/// </summary>
public abstract partial class ChineseRefusalsTests(ConsoleHost host)
{
    /// <summary>Three words in a row with lower-case letters: a sentence, not a code, a file name or "CSV UTF-8".</summary>
    [GeneratedRegex(@"[A-Za-z]*[a-z][A-Za-z]*(?:[\s,;:]+[A-Za-z]*[a-z][A-Za-z]*){2,}")]
    private static partial Regex EnglishSentence();

    private static async Task NoEnglishAsync(IPage page, string where)
    {
        var boxes = await page.Locator("[role=alert]:visible").AllInnerTextsAsync();
        Assert.NotEmpty(boxes);
        foreach (var text in boxes)
        {
            Assert.False(EnglishSentence().IsMatch(text), $"{where}: English in an error box: {text}");
        }
    }

    [Fact]
    public async Task Every_refusal_is_said_in_Chinese()
    {
        var official = await host.NewPageAsync();
        await Journey.SignInAsync(official, "official.li");

        // A file with a word where a number belongs, and a column GrantFlow does not know.
        await official.GotoAsync("runs/new");
        var csv = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "provinces-2026.csv"))
            .Replace(",0.583,", ",abc,", StringComparison.Ordinal)
            .Replace("resident_participants", "participants", StringComparison.Ordinal);
        await official.GetByTestId("csv-provinces").SetInputFilesAsync(new FilePayload { Name = "各省数据.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await Assertions.Expect(official.Locator(".data .problem")).ToContainTextAsync("“abc”不是数字");
        await Assertions.Expect(official.Locator(".data .problem")).ToContainTextAsync("未知的列“participants”");
        await NoEnglishAsync(official, "a bad file");

        // Parameters the server would refuse.
        await official.GotoAsync("runs/new");
        await official.GetByTestId("envelope-a").FillAsync("0");
        await Assertions.Expect(official.GetByTestId("whatif-errors")).ToContainTextAsync("资金总额：资金总额须大于 0 元");
        await NoEnglishAsync(official, "parameters");

        // A year already released (the demo released 2026).
        await official.GotoAsync("runs/new");
        await Assertions.Expect(official.GetByLabel("年度").First).Not.ToHaveValueAsync("2026"); // the form has settled on its default year
        await official.GetByLabel("年度").First.FillAsync("2026");
        try
        {
            await Assertions.Expect(official.GetByTestId("start-run")).ToBeVisibleAsync(new() { Timeout = 15000 });
        }
        catch (PlaywrightException)
        {
            // What the page showed instead (a screenshot in console-artifacts), for whoever reads the failure.
            await ConsoleHost.ScreenshotAsync(official, "refusals-no-start-button");
            throw new InvalidOperationException("no start button; the page said: " + await official.Locator("main").InnerTextAsync());
        }

        await official.GetByTestId("start-run").ClickAsync();
        await official.GetByTestId("confirm").ClickAsync();
        await Assertions.Expect(official.GetByTestId("problem")).ToContainTextAsync("已下达或正在下达");
        await NoEnglishAsync(official, "a conflict");

        // A run that does not exist: said once, and not asked for again every second.
        var asked = 0;
        official.Request += (_, request) => asked += request.Url.Contains("/api/runs/0000", StringComparison.Ordinal) ? 1 : 0;
        await official.GotoAsync("runs/00000000000000000000000000000000");
        await Assertions.Expect(official.GetByTestId("problem")).ToContainTextAsync("批次 00000000 不存在");
        await NoEnglishAsync(official, "a missing run");
        await official.WaitForTimeoutAsync(2500);
        Assert.Equal(1, asked);

        // A province passing down a notice it has not acknowledged (reached by its address).
        var bureau = await host.NewPageAsync();
        await Journey.SignInAsync(bureau, "bureau.46");
        var notice = await bureau.Locator("article.notice").First.GetAttributeAsync("data-notice");
        await bureau.GotoAsync($"inbox/{Uri.EscapeDataString(notice!)}/pass-down");
        await bureau.GetByTestId("start-pass-down").ClickAsync();
        await bureau.GetByTestId("confirm").ClickAsync();
        await Assertions.Expect(bureau.GetByTestId("problem")).ToContainTextAsync("尚未签收");
        await NoEnglishAsync(bureau, "a step out of order");
        Assert.True(host.ConsoleErrors.IsEmpty, string.Join(Environment.NewLine, host.ConsoleErrors));
    }
}

/// <summary>The refusals on <c>grantflow serve</c>.</summary>
[Collection(ConsoleTestGroup.Name)]
public sealed class ChineseRefusalsOnLocalHost(ConsoleHost host) : ChineseRefusalsTests(host);

/// <summary>The refusals on <c>grantflow serve --host functions</c>.</summary>
[Collection(FunctionsConsoleTestGroup.Name)]
public sealed class ChineseRefusalsOnFunctionsApp(FunctionsConsoleHost host) : ChineseRefusalsTests(host);
